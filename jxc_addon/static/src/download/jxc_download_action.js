import { downloadFile } from "@web/core/network/download";
import { registry } from "@web/core/registry";

/**
 * Saves a file the server sent in the action (an Excel report) without leaving the page: the
 * browser neither navigates nor opens a pop-up, so nothing is blocked and nothing unloads.
 * The server stores nothing, so the export that produced it may be served by a read replica.
 *
 * @param {import("@web/env").OdooEnv} env
 * @param {{ params: { data: string, filename: string, mimetype: string } }} action
 */
function jxcDownload(env, action) {
    const { data, filename, mimetype } = action.params;
    const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
    downloadFile(new Blob([bytes], { type: mimetype }), filename, mimetype);
}

registry.category("actions").add("jxc_download", jxcDownload);
