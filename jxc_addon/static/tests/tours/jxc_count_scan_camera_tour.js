import { registry } from "@web/core/registry";

/**
 * The phone's camera, as Odoo's own barcode dialog (`scanBarcode`, BarcodeVideoScanner) reads it:
 * the camera is a painted canvas stream and the browser's BarcodeDetector sees `barcode` in the
 * middle of the picture. Everything else is Odoo's: the dialog opens, plays the stream, detects,
 * closes and hands the result to the screen, which treats it as a hardware scan.
 */
function cameraScan(barcode) {
    return {
        content: `the camera reads ${barcode}`,
        trigger: ".o_jxc_count_scan .o_jxc_scan_camera",
        async run(helpers) {
            const canvas = document.createElement("canvas");
            canvas.width = 640;
            canvas.height = 480;
            const context = canvas.getContext("2d");
            const paint = () => {
                context.fillStyle = "#f8f8f8";
                context.fillRect(0, 0, canvas.width, canvas.height);
            };
            paint();
            const painter = setInterval(paint, 50);
            const stream = canvas.captureStream(20);
            navigator.mediaDevices.getUserMedia = async () => stream;
            // The scan area is the whole picture (as when the user drags its corner to the edge).
            localStorage.setItem("o-barcode-scanner-overlay", JSON.stringify({ x: 0, y: 0 }));
            window.BarcodeDetector = class {
                static async getSupportedFormats() {
                    return ["ean_13", "code_128", "qr_code", "data_matrix"];
                }
                async detect(video) {
                    clearInterval(painter);
                    const x = video.videoWidth / 2;
                    const y = video.videoHeight / 2;
                    return [{ rawValue: barcode, boundingBox: { x: x - 1, y: y - 1, width: 2, height: 2 } }];
                }
            };
            await helpers.click();
        },
    };
}

// A counter without a hardware scanner counts with the phone's camera: a location label, then a
// GS1 label with a lot and an expiry date of a product whose lots record no expiration date.
registry.category("web_tour.tours").add("jxc_count_scan_camera_tour", {
    steps: () => [
        {
            trigger: ".o_jxc_scan_plan:contains('Ningbo DC')",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_prompt",
        },
        cameraScan("NB-B-01"),
        {
            trigger: ".o_jxc_scan_location_name:contains('NB/Stock/B-01')",
        },
        {
            trigger: ".modal:not(:visible), body:not(:has(.modal))",
        },
        cameraScan("0104006381333931" + "17271231" + "10L-7"),
        {
            trigger: ".o_jxc_scan_line_found:contains('Vitamin C Serum') .o_jxc_scan_line_lot:contains('L-7')",
        },
        {
            trigger: ".o_jxc_scan_ok:contains('kept with this scan only')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Vitamin C Serum') .o_jxc_scan_line_qty:contains('1')",
        },
    ],
});
