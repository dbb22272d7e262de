"""A confirmed order's shortage key holds its short lines by line, with their delivery days and
shortages, from this version (``sale.order._jxc_shortage_key``). The keys stored before also
held what the lines needed and had available: rewritten, so that the next recheck does not
take an unchanged shortage for a new one and warn again."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for order in env["sale.order"].search([("jxc_shortage_key", "!=", False)]):
        rows = []
        for part in order.jxc_shortage_key.split(";"):
            line_id, day, *quantities = part.split(":")
            rows.append((int(line_id), day, quantities[-1]))
        order.write({"jxc_shortage_key": ";".join("%s:%s:%s" % row for row in sorted(rows))})
