"""SQL fragments on sale order lines shared by the analyses that value deliveries."""

from odoo.tools import SQL

# Untaxed unit price of a sale order line (alias sol), in the line's unit. The line Odoo adds
# when a delivery holds a product the order did not (sale_stock) is ordered 0: it has no
# subtotal to divide, its price is its unit price less its discount.
SALE_UNIT_PRICE = SQL("""(CASE WHEN sol.product_uom_qty > 0 THEN sol.price_subtotal / sol.product_uom_qty
                              ELSE sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100) END)""")
