import { downloadFile } from "@web/core/network/download";

const downloaded = [];

/**
 * A tour step that clicks a button whose action downloads a file (the add-on's `jxc_download`):
 * the download runs in the background, the page neither unloads nor opens a pop-up. The file
 * names the browser received are recorded for `waitForDownload`.
 */
export function clickAndRecordDownload(trigger) {
    return {
        trigger,
        async run(helpers) {
            if (!downloadFile._jxcRecorded) {
                const save = downloadFile._download;
                downloadFile._download = (data, filename, mimetype) => {
                    downloaded.push(filename);
                    return save(data, filename, mimetype);
                };
                downloadFile._jxcRecorded = true;
            }
            await helpers.click();
        },
    };
}

/**
 * Waits until the browser has received a file whose name matches `pattern`: the file comes
 * with the answer of the button's RPC, so the test never races the server.
 */
export async function waitForDownload(pattern) {
    for (let attempt = 0; attempt < 300; attempt++) {
        if (downloaded.some((name) => pattern.test(name))) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No file matching ${pattern} was downloaded within 30 s (got: ${downloaded}).`);
}
