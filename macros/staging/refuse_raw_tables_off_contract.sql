{#
    on-run-start (`dbt run`, `dbt build`): every raw table of the contract (the sources) must
    exist with every contract column; extra columns are fine. A loader's own table without
    one made its base view fail with an engine message that does not name the cause
    (DuckDB: 'Column "discount_amount" referenced that exists in the SELECT clause - but
    this column cannot be referenced before it is defined'), and everything downstream was
    skipped. Stop before anything runs, name each table and column, and give the fix:
    `cdp init-raw` creates missing tables (never altering existing ones), and one
    `alter table ... add column` per missing column. One catalog read per raw table.
#}
{% macro refuse_raw_tables_off_contract() -%}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set missing_tables = [] -%}
        {%- set missing_columns = [] -%}
        {%- set fixes = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='unique_id')
              if source.package_name == project_name -%}
            {%- set name = source.schema ~ '.' ~ source.identifier -%}
            {%- set relation = adapter.get_relation(
                database=source.database, schema=source.schema, identifier=source.identifier) -%}
            {%- if relation is none -%}
                {%- do missing_tables.append(name) -%}
            {%- else -%}
                {%- set present = adapter.get_columns_in_relation(relation)
                    | map(attribute='name') | map('lower') | list -%}
                {%- for column in source.columns.values() if column.name | lower not in present -%}
                    {%- do missing_columns.append(name ~ '.' ~ column.name) -%}
                    {%- do fixes.append('alter table ' ~ name ~ ' add column ' ~ column.name
                                        ~ ' ' ~ column.data_type ~ ';') -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing_tables or fixes -%}
            {%- set lines = ['The raw tables do not match the landing contract (the sources in'
                             ~ ' models/staging/*/_*__sources.yml); nothing was run.'] -%}
            {%- for name in missing_tables -%}
                {%- do lines.append('- ' ~ name ~ ' does not exist') -%}
            {%- endfor -%}
            {%- if missing_columns -%}
                {%- do lines.append('- columns missing: ' ~ missing_columns | join(', ')) -%}
            {%- endif -%}
            {%- if missing_tables -%}
                {%- do lines.append('Create the missing tables with `cdp init-raw` (it never alters'
                                    ~ ' existing tables).') -%}
            {%- endif -%}
            {%- if fixes -%}
                {%- do lines.append('Add the missing columns (nullable; your loader may fill them'
                                    ~ ' later): ' ~ fixes | join(' ')) -%}
            {%- endif -%}
            {%- do exceptions.raise_compiler_error(lines | join('\n')) -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as raw_contract_checked
{%- endmacro %}


{#
    on-run-start (`dbt run` only): the source test `landing_time_is_usable` stops a source
    whose raw rows have no landing time, or one far in the future, in `dbt build`; `dbt run`
    runs no tests, so it would stage them, and the staged high-water mark would then hide
    every row landing before that time until a full refresh. Stop before anything runs,
    with each table's counts. The same query as the test (one scan of each landing-time
    column); `dbt build` leaves it to the tests, which stop only the affected sources.
#}
{% macro refuse_landing_times_that_hide_rows() -%}
    {%- if execute and flags.WHICH == 'run' -%}
        {%- set problems = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='unique_id')
              if source.package_name == project_name and '_loaded_at' in source.columns -%}
            {%- set relation = api.Relation.create(
                database=source.database, schema=source.schema, identifier=source.identifier) -%}
            {%- set found = run_query(cdp.test_landing_time_is_usable(
                model=relation, column_name='_loaded_at')) -%}
            {%- for row in found.rows -%}
                {%- set name = source.schema ~ '.' ~ source.identifier -%}
                {%- if row[0] -%}
                    {%- do problems.append(name ~ ': ' ~ row[0] ~ ' row' ~ ('' if row[0] == 1 else 's')
                                           ~ ' without a landing time') -%}
                {%- endif -%}
                {%- if row[1] -%}
                    {%- do problems.append(name ~ ': ' ~ row[1] ~ ' row' ~ ('' if row[1] == 1 else 's')
                                           ~ ' landed more than ' ~ var('cdp_future_tolerance_hours')
                                           ~ " h after this run's start (latest " ~ row[2] ~ ')') -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if problems -%}
            {%- do exceptions.raise_compiler_error(
                'Raw rows whose landing time (_loaded_at) would hide rows from incremental runs;'
                ~ ' nothing was run:\n- ' ~ problems | join('\n- ')
                ~ "\nCorrect the loader's rows (set _loaded_at to when they really landed), then"
                ~ ' run again. `dbt build` stops only the affected sources (source test'
                ~ ' landing_time_is_usable).') -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as landing_times_checked
{%- endmacro %}
