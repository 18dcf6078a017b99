{#
    Every comparison level the matcher uses has a description in the seed
    identity_comparison_levels, so a match's evidence can be read (analysis
    customer_evidence). Fails with the levels that lack one: add them to the seed when a
    level is added to macros/identity/comparison_levels.sql.
#}
with parameters as (
    select * from {{ ref('int_identity__match_parameters') }}
),

levels as (
    select * from {{ ref('identity_comparison_levels') }}
)

select
    parameters.comparison,
    parameters.comparison_level
from parameters
left join levels
    on parameters.comparison = levels.comparison
    and parameters.comparison_level = levels.comparison_level
where levels.comparison is null
