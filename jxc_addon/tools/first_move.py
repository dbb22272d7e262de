"""A product's first done move: since when a warehouse (or the company) has had it. Demand
statistics start there: the periods before a product came in are no periods of zero demand."""

from odoo.tools import SQL

from .company_day import local_date_sql, local_midnight_utc
from .sql_array import sql_array


def first_move_sql(company, product_ids, warehouse_ids=None, before=None):
    """SELECT (product_id, warehouse_id, first_day): the day (``company``'s calendar) of each
    product's first done move of the company (a receipt, an inventory adjustment, a delivery,
    a transfer), per warehouse of ``warehouse_ids`` it moved into or out of; without
    ``warehouse_ids``, one row per product (warehouse_id NULL).

    :param product_ids: the product ids, a list or a SELECT (an SQL)
    :param before: only the moves before this day of the company's calendar
    """
    warehouse, joins = SQL("NULL::int4"), SQL()
    conditions = [SQL("m.product_id IN (%s)", product_ids) if isinstance(product_ids, SQL)
                  else SQL("m.product_id = ANY(%s)", sql_array(product_ids, "int4"))]
    if warehouse_ids is not None:
        warehouse = SQL("loc.warehouse_id")
        joins = SQL("JOIN stock_location loc ON loc.id IN (m.location_id, m.location_dest_id)")
        conditions.append(SQL("loc.warehouse_id = ANY(%s)", sql_array(warehouse_ids, "int4")))
    if before is not None:
        conditions.append(SQL("m.date < %s", local_midnight_utc(company, before)))
    return SQL(
        """
        SELECT m.product_id, %(warehouse)s AS warehouse_id, %(first)s AS first_day
          FROM stock_move m
          %(joins)s
         WHERE m.state = 'done' AND m.company_id = %(company)s AND %(conditions)s
         GROUP BY 1, 2
        """,
        warehouse=warehouse, first=local_date_sql(company, SQL("MIN(m.date)")), joins=joins, company=company.id,
        conditions=SQL(" AND ").join(conditions),
    )
