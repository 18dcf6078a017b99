# Sourced by the other scripts: project-wide environment for dbt and the cdp CLI.
export DO_NOT_TRACK=1
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$(pwd)}"
export PATH="$(pwd)/.venv/bin:$PATH"
