{#
    Fellegi-Sunter comparison levels between two profiles `l` and `r` (aliases of relations
    with the profile columns of int_identity__record_profiles). Higher level = closer
    agreement; null when either side lacks the value (a null level carries no weight).
    The thresholds are vars so analysts can tune them; m and u per level are estimated from
    the data in int_identity__match_parameters.
#}
{% macro match_comparisons() -%}
    {{ return([
        'first_name', 'last_name', 'date_of_birth', 'address', 'phone', 'email_local_part',
        'mailbox_name',
    ]) }}
{%- endmacro %}

{#
    Comparisons whose exact agreement weighs by how common the value is (term frequency),
    with the profile column holding the value: int_identity__match_term_frequencies counts
    the values, int_identity__match_scores uses them.
#}
{% macro frequency_adjusted_comparisons() -%}
    {{ return({'first_name': 'first_name_key', 'last_name': 'last_name_key'}) }}
{%- endmacro %}

{#
    A typo changes a name's length by one letter at most (capmbell, campbel for campbell);
    names that differ by more are different names however alike the strings (martin and
    martinez, johnson and johansson), so they get the similar level (1), not the close one.
#}
{% macro lengths_within_one(a, b) -%}
    abs({{ dbt.length(a) }} - {{ dbt.length(b) }}) <= 1
{%- endmacro %}

{% macro comparison_levels(l, r) -%}
    {%- set high = var('cdp_match_similarity_high') -%}
    {%- set low = var('cdp_match_similarity_low') -%}
    case
        when {{ l }}.first_name_key is null or {{ r }}.first_name_key is null then null
        when {{ l }}.first_name_key = {{ r }}.first_name_key then 3
        when {{ cdp.string_similarity(l ~ '.first_name_key', r ~ '.first_name_key') }} >= {{ high }}
            and {{ cdp.lengths_within_one(l ~ '.first_name_key', r ~ '.first_name_key') }} then 2
        when {{ cdp.string_similarity(l ~ '.first_name_key', r ~ '.first_name_key') }} >= {{ low }} then 1
        else 0
    end as first_name_level,
    case
        when {{ l }}.last_name_key is null or {{ r }}.last_name_key is null then null
        when {{ l }}.last_name_key = {{ r }}.last_name_key then 3
        when {{ cdp.string_similarity(l ~ '.last_name_key', r ~ '.last_name_key') }} >= {{ high }}
            and {{ cdp.lengths_within_one(l ~ '.last_name_key', r ~ '.last_name_key') }} then 2
        when {{ cdp.string_similarity(l ~ '.last_name_key', r ~ '.last_name_key') }} >= {{ low }} then 1
        else 0
    end as last_name_level,
    case
        when {{ l }}.date_of_birth is null or {{ r }}.date_of_birth is null then null
        when {{ l }}.date_of_birth = {{ r }}.date_of_birth then 3
        -- day and month swapped (03/04 read as 04/03)
        when {{ dbt.date_trunc('year', l ~ '.date_of_birth') }} = {{ dbt.date_trunc('year', r ~ '.date_of_birth') }}
            and extract(month from {{ l }}.date_of_birth) = extract(day from {{ r }}.date_of_birth)
            and extract(day from {{ l }}.date_of_birth) = extract(month from {{ r }}.date_of_birth) then 2
        when {{ dbt.date_trunc('year', l ~ '.date_of_birth') }} = {{ dbt.date_trunc('year', r ~ '.date_of_birth') }}
            and (
                extract(month from {{ l }}.date_of_birth) = extract(month from {{ r }}.date_of_birth)
                or extract(day from {{ l }}.date_of_birth) = extract(day from {{ r }}.date_of_birth)
            ) then 1
        else 0
    end as date_of_birth_level,
    -- postcode, street and city describe one fact (where someone lives): one comparison,
    -- so an address is not counted three times. Within one postcode, a street known on both
    -- sides and clearly different (level 2) is another household, not a missing value.
    case
        when coalesce({{ l }}.postal_code_key, {{ l }}.street_key, {{ l }}.city_key) is null
            or coalesce({{ r }}.postal_code_key, {{ r }}.street_key, {{ r }}.city_key) is null then null
        when {{ l }}.postal_code_key = {{ r }}.postal_code_key and {{ l }}.street_key = {{ r }}.street_key then 5
        when {{ l }}.postal_code_key = {{ r }}.postal_code_key
            and {{ cdp.string_similarity(l ~ '.street_key', r ~ '.street_key') }} >= {{ high }} then 4
        when {{ l }}.postal_code_key = {{ r }}.postal_code_key
            and ({{ l }}.street_key is null or {{ r }}.street_key is null) then 3
        when {{ l }}.postal_code_key = {{ r }}.postal_code_key then 2
        when {{ l }}.city_key = {{ r }}.city_key
            or left({{ l }}.postal_code_key, 3) = left({{ r }}.postal_code_key, 3) then 1
        else 0
    end as address_level,
    case
        when {{ l }}.phone is null or {{ r }}.phone is null then null
        when {{ l }}.phone = {{ r }}.phone then 2
        when right({{ l }}.phone, 7) = right({{ r }}.phone, 7) then 1
        else 0
    end as phone_level,
    -- the email's local part without dots, dashes and underscores: the same mailbox name
    -- under a mistyped or another domain. No similarity band: mailbox names that differ by
    -- a digit (rmorris4873, rmorris4874) belong to different people.
    case
        when {{ l }}.email_local_key is null or {{ r }}.email_local_key is null then null
        when {{ l }}.email_local_key = {{ r }}.email_local_key then 1
        else 0
    end as email_local_part_level,
    coalesce({{ cdp.mailbox_name_level(l, r) }}, {{ cdp.mailbox_name_level(r, l) }})
        as mailbox_name_level
{%- endmacro %}

{#
    A mailbox name read as a name: for a pair where one side (`unnamed`: an order, a
    newsletter click) has a mailbox but no first name, and the other (`named`) a first and
    last name. 2 when the mailbox spells the full name (jennifer.jordan60939 for Jennifer
    Jordan), 1 when it spells an initial and the surname (jjordan60939, which a household's
    John Jordan spells too), 0 otherwise. Null when the pair is not like that, and when the
    named side has a mailbox of its own with a number: then email_local_part compares the
    two mailboxes (johnstewart46746 and johnstewart46747, or pmuller76755 and
    patriciamuller76753, are two people of one household). A named side whose mailbox has
    no number (a work address, chloe.walker@<company>) may still be spelled by the other
    (chloewalker51958).
#}
{% macro mailbox_name_level(unnamed, named) -%}
    {%- set spelled = cdp.mailbox_spelled_name(unnamed ~ '.email_local_key') -%}
    case
        when {{ unnamed }}.first_name_key is not null
            or {{ unnamed }}.email_local_key is null
            or {{ named }}.first_name_key is null
            or {{ named }}.last_name_key is null
            or {{ named }}.email_local_key = {{ unnamed }}.email_local_key
            or {{ cdp.regex_full_match(named ~ '.email_local_key', '.*[0-9]') }} then null
        when {{ spelled }} = {{ named }}.first_name_key || {{ named }}.last_name_key
            or {{ spelled }} = {{ named }}.last_name_key || {{ named }}.first_name_key then 2
        when {{ spelled }} = left({{ named }}.first_name_key, 1) || {{ named }}.last_name_key
            then 1
        else 0
    end
{%- endmacro %}

{# The number a mailbox key ends in (jjordan60939 -> 60939), null without one. #}
{% macro mailbox_number(email_local_key) -%}
    nullif({{ cdp.regex_extract(email_local_key, '[0-9]+$', 0) }}, '')
{%- endmacro %}

{# The name a mailbox key spells: its letters without the trailing number (jjordan60939 -> jjordan). #}
{% macro mailbox_spelled_name(email_local_key) -%}
    {{ cdp.regex_replace_all(email_local_key, '[0-9]+$', '') }}
{%- endmacro %}
