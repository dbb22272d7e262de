# Shared by bin/run and bin/test (sourced after bin/bootstrap): paths and database helpers.
RUNTIME="${JXC_RUNTIME:-$REPO/.runtime}"
VENV="$RUNTIME/venv"
CONF="$RUNTIME/odoo.conf"
ODOO_BIN="$RUNTIME/odoo/usr/bin/odoo"
# Odoo's own modules the add-on depends on; a database with them installed is kept as a
# template so that tests start in seconds. Its name changes with Odoo's version.
BASE_MODULES="stock,purchase_stock,sale_stock"
export PGHOST=127.0.0.1 PGUSER="${JXC_DB_USER:-odoo}" PGPASSWORD="${JXC_DB_PASSWORD:-odoo}"

odoo_cli() { "$VENV/bin/python" "$ODOO_BIN" -c "$CONF" "$@"; }

db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }

drop_db() { psql -d postgres -qc "drop database if exists \"$1\" with (force)" >/dev/null; }

create_db_from_template() {
    local db="$1" version tmpl
    version=$(cat "$RUNTIME/odoo/.jxc-complete" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')
    tmpl="jxc_tmpl_${version}_$(echo "$BASE_MODULES" | cksum | cut -d' ' -f1)"
    tmpl="${tmpl:0:63}"
    if ! db_exists "$tmpl"; then
        echo "[db] building template $tmpl ($BASE_MODULES, no demo; about a minute, once)"
        drop_db "${tmpl}_wip"
        odoo_cli -d "${tmpl}_wip" -i "$BASE_MODULES" --stop-after-init --log-level=warn --no-http \
            || { echo "[db] FAILED to install $BASE_MODULES into a new database." >&2; exit 1; }
        psql -d postgres -qc "alter database \"${tmpl}_wip\" rename to \"$tmpl\"" >/dev/null
        if [ -d "$RUNTIME/data/filestore/${tmpl}_wip" ]; then
            rm -rf "$RUNTIME/data/filestore/$tmpl"
            mv "$RUNTIME/data/filestore/${tmpl}_wip" "$RUNTIME/data/filestore/$tmpl"
        fi
    fi
    drop_db "$db"
    psql -d postgres -qc "create database \"$db\" template \"$tmpl\"" >/dev/null
    # The copy must not share the template's filestore or database uuid.
    rm -rf "$RUNTIME/data/filestore/$db"
    [ -d "$RUNTIME/data/filestore/$tmpl" ] && mkdir -p "$RUNTIME/data/filestore" \
        && cp -rL "$RUNTIME/data/filestore/$tmpl" "$RUNTIME/data/filestore/$db"
    psql -d "$db" -qc "update ir_config_parameter set value=gen_random_uuid()::text where key='database.uuid'" >/dev/null
    echo "[db] $db created from $tmpl"
}

# The test database with jxc_addon installed, (re)created unless JXC_KEEP_DB=1 and it exists.
ensure_test_db() {
    local db="$1"
    if [ "${JXC_KEEP_DB:-}" != 1 ] || ! db_exists "$db"; then
        create_db_from_template "$db"
        echo "[test] installing jxc_addon and product_expiry (with the bridge jxc_product_expiry) into $db"
        odoo_cli -d "$db" -i jxc_addon,product_expiry --stop-after-init --log-level=warn --no-http \
            || { echo "[test] FAILED: jxc_addon (with product_expiry) does not install (see the log above)." >&2; exit 1; }
    fi
}

# pytest with the Odoo plugin on a test database: run_pytest DB [pytest arguments]
run_pytest() {
    local db="$1"
    shift
    "$VENV/bin/python" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$db" "$@"
}
