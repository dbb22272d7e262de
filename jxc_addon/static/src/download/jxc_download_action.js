import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { downloadFile } from "@web/core/network/download";
import { registry } from "@web/core/registry";

/**
 * Downloads a file the server prepared (an Excel report) without leaving the page: the
 * browser neither navigates nor opens a pop-up, so nothing is blocked and nothing unloads.
 *
 * @param {import("@web/env").OdooEnv} env
 * @param {{ params: { url: string, filename: string } }} action
 */
async function jxcDownload(env, action) {
    const { url, filename } = action.params;
    const response = await browser.fetch(url);
    if (!response.ok) {
        throw new Error(_t("The file %(filename)s could not be downloaded (HTTP %(status)s).", {
            filename,
            status: response.status,
        }));
    }
    const blob = await response.blob();
    downloadFile(blob, filename, blob.type);
}

registry.category("actions").add("jxc_download", jxcDownload);
