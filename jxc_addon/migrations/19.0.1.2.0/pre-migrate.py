"""A vendor's risk reason is worded when read, in the reader's language (from the facts stored
on its evaluation); the reason stored until now becomes the hand-set note."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    if column_exists(cr, "res_partner", "jxc_supplier_risk_reason") and not column_exists(
        cr, "res_partner", "jxc_supplier_risk_note"
    ):
        rename_column(cr, "res_partner", "jxc_supplier_risk_reason", "jxc_supplier_risk_note")
