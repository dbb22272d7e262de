"""Whole-unit stock levels: a reorder point of 11.64 shirts can be neither counted nor bought.

Odoo 19 rounds every unit to one global precision ('Product Unit', 0.01 by default), so the
add-on's levels computed from averages come out fractional. For goods counted in pieces
(Units and its packagings) the reorder point is raised to a whole number of the product's
unit, and the order quantity (maximum - reorder point, what a replenishment brings) to a
whole number of the purchase packaging: the reordering rule's own multiple, else the
vendor's purchase unit (e.g. a Pack of 6, ``product.supplierinfo.product_uom_id``, the unit
Odoo itself rounds a purchase to), else whole units. Goods measured in kg, litres or metres
keep their levels as computed; only a packaging (a 25 kg bag) rounds their order quantity.
"""

import math


def _ceil(value):
    # 12.000000001 (a float sum) stays 12
    return math.ceil(round(value, 6))


def packaging_multiple(uom, packaging):
    """How many ``uom`` one ``packaging`` unit holds; 0.0 when there is no packaging, it is
    ``uom`` itself or it does not measure the same thing (kg against units)."""
    if not packaging or not uom or packaging == uom or not uom._has_common_reference(packaging):
        return 0.0
    return packaging._compute_quantity(1.0, uom, round=False)


def is_counted_in_pieces(uom):
    """Whether ``uom`` counts pieces: Units or a unit defined from it (Pack of 6, Dozens),
    against one that measures (kg, L, m), where 11.64 is a quantity like any other."""
    # the cached id, not env.ref (which queries whether the record still exists, for each rule)
    unit_id = uom.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_unit", raise_if_not_found=False)
    return bool(uom and unit_id) and uom._has_common_reference(uom.browse(unit_id))


def whole_unit_levels(reorder_point, maximum, multiple=0.0, pieces=True):
    """(reorder point, maximum) rounded up: the reorder point to whole units, the order
    quantity between them to whole ``multiple`` units (in the product's unit; 0: whole units).
    Not ``pieces`` (a measured unit): the reorder point stays, the order quantity is rounded
    only to a ``multiple``.

    >>> whole_unit_levels(11.64, 17.2)   # order 5.56 -> 6
    (12.0, 18.0)
    >>> whole_unit_levels(11.64, 17.2, 4.0)   # order 5.56 -> 2 packs of 4
    (12.0, 20.0)
    >>> whole_unit_levels(11.64, 17.2, pieces=False)   # kg
    (11.64, 17.2)
    >>> whole_unit_levels(11.64, 17.2, 25.0, pieces=False)   # order 5.56 kg -> one 25 kg bag
    (11.64, 36.64)
    """
    if reorder_point <= 0 and maximum <= 0:
        return 0.0, 0.0
    order = max(maximum - reorder_point, 0.0)
    if not pieces:
        low = max(reorder_point, 0.0)
        if multiple and multiple > 0:
            order = _ceil(order / multiple) * multiple
        return low, round(low + order, 6)
    step = multiple if multiple and multiple > 0 else 1.0
    low = float(_ceil(max(reorder_point, 0.0)))
    return low, low + _ceil(order / step) * step
