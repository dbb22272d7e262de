"""The worked example of common_supplier.py with vendor C graded in March.

A vendor is graded only in a period where it delivered or had order lines due: vendor C's
price alone (its order planned in April) would leave it without an evaluation. Here C also
ordered, on 20 February, 10 units of a part no other vendor sells, at 5, planned 15 March
and never received: in March its fill rate is 0 % (one line due, nothing received), its
price index 115.38 % (score 11.54) as before, and nothing else has data, so its score is
(0 x 20 + 11.54 x 15) / 35 = 4.95: grade D, at risk. The part, bought from C alone and
confirmed in February, changes no market price and no purchase volume of March.
"""

from freezegun import freeze_time

from .common_supplier import JxcSupplierCommon


class JxcSupplierGradedCommon(JxcSupplierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part_c = cls.env["product.product"].create(cls._prepare_product_vals("JXC Vendor C Part", 4.0, 8.0, "JXC-C"))
        with freeze_time("2025-02-20 02:00:00"):
            cls.po_c0 = cls._create_purchase(cls.vendor_c, [(cls.part_c, 10.0, 5.0)], date_planned="2025-03-15 04:00:00")
