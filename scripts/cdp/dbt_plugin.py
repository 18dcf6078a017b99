"""dbt-duckdb plugin: hands the pseudonymization salt to DuckDB outside of any SQL text.

The on-run-end hook that writes `marts_pseudonymized` hashes personal columns as
`md5(salt || value)`. Had the salt been written into the hook's SQL, dbt would keep it in
`logs/dbt.log`, `target/run_results.json`, `target/manifest.json` (which `dbt docs
generate` publishes with the docs site) and the compiled hook. Anyone holding those files and
the pseudonymized marts could then hash a list of known emails and re-identify people.

So the profile loads this plugin (`plugins: [{module: cdp.dbt_plugin}]`). On every DuckDB
connection and cursor dbt opens, it sets the session variable `cdp_pseudonym_salt` from the
environment variable CDP_PSEUDONYM_SALT, as a bound parameter. The hook's SQL names only
`getvariable('cdp_pseudonym_salt')` (macro `cdp.pseudonym_salt`), and stops with an error
when the variable is missing: a profile without this plugin, or CDP_PSEUDONYM_SALT set to an
empty string (which would leave plain md5 hashes, reversible with a list of emails).
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin

SALT_ENV_VAR = "CDP_PSEUDONYM_SALT"
SALT_VARIABLE = "cdp_pseudonym_salt"
# Fine for the demo data; a real deployment sets its own secret in CDP_PSEUDONYM_SALT.
DEVELOPMENT_SALT = "development-salt-set-CDP_PSEUDONYM_SALT"


def pseudonym_salt() -> str | None:
    """The salt: CDP_PSEUDONYM_SALT, the development salt when it is unset, None when empty."""
    return os.environ.get(SALT_ENV_VAR, DEVELOPMENT_SALT) or None


class Plugin(BasePlugin):
    """Sets the salt variable on each connection and on each cursor (a DuckDB cursor is a
    session of its own: variables do not carry over from its parent connection)."""

    def configure_connection(self, conn):
        self._set_salt(conn)

    def configure_cursor(self, cursor):
        self._set_salt(cursor)

    @staticmethod
    def _set_salt(connection):
        salt = pseudonym_salt()
        if salt is not None:  # else the variable stays unset, and the hook stops the run
            connection.execute(f"set variable {SALT_VARIABLE} = ?", [salt])
