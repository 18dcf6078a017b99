{#
    Name -> match key: lowercase, accents stripped, letters only ("O'Brien" -> "obrien",
    "Van der Berg" -> "vanderberg"). Display values stay in the source columns.
#}
{% macro normalize_name(column) -%}
    nullif({{ cdp.regex_replace_all('lower(' ~ cdp.strip_accents(column) ~ ')', '[^a-z]', '') }}, '')
{%- endmacro %}

{#
    A person's name -> match key: `normalize_name` of the name without the honorifics
    before it and the generational or academic suffixes after it ("Dr. Jane" -> "jane",
    "Smith Jr." -> "smith"): a record is not matched by them.
#}
{% macro normalize_person_name(column) -%}
    {{ cdp.normalize_name(cdp.strip_name_affixes(column)) }}
{%- endmacro %}

{#
    The name without honorifics before it (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame,
    Herr, Frau, Mme) and suffixes after it (Jr, Sr, II, III, IV, PhD, MD, Esq), each a
    whole word with an optional full stop ("Smith, Jr."): "Drake" and "Millsr" keep their
    letters. Display values stay in the source columns.
#}
{% macro strip_name_affixes(column) -%}
    trim({{ cdp.regex_replace_all(
        cdp.regex_replace_all(
            column,
            '(?i)^\\s*((mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme)\\.?\\s+)+',
            ''
        ),
        '(?i)(,?\\s+(jr|sr|ii|iii|iv|phd|md|esq)\\.?)+\\s*$',
        ''
    ) }})
{%- endmacro %}

{#
    The generational suffix at the end of a name, as a match key: `jr`, `sr`, `ii`, `iii` or
    `iv` ("Smith Jr." -> "jr", "Smith, Sr" -> "sr", "Smith III, PhD" -> "iii"); null
    without one. strip_name_affixes leaves it out of the name; identity keeps it as evidence
    that two records with different suffixes are two people (a father and the son named
    after him).
#}
{% macro name_suffix_of(column) -%}
    nullif(lower({{ cdp.regex_extract(
        column,
        '(?i)[\\s,](jr|sr|iii|ii|iv)\\.?(?:,?\\s+(?:jr|sr|ii|iii|iv|phd|md|esq)\\.?)*\\s*$',
        1
    ) }}), '')
{%- endmacro %}

{#
    A full name in one field -> first name / last name: "First Last" or "First Middle
    Last" (the first word; the last word with the particles before it: "Jane van der
    Berg" -> "van der Berg", as a last-name field holds it), or "Last, First" (a comma:
    surname first), after strip_name_affixes.
#}
{% macro first_name_of(full_name) -%}
    case
        when {{ dbt.position("','", full_name) }} > 0
            then {{ cdp.first_word(dbt.split_part(full_name, "','", 2)) }}
        else {{ cdp.first_word(full_name) }}
    end
{%- endmacro %}

{% macro last_name_of(full_name) -%}
    case
        when {{ dbt.position("','", full_name) }} > 0
            then nullif(trim({{ dbt.split_part(full_name, "','", 1) }}), '')
        else {{ cdp.last_word(full_name) }}
    end
{%- endmacro %}

{% macro first_word(column) -%}
    nullif(split_part(trim({{ column }}), ' ', 1), '')
{%- endmacro %}

{# The last word of a name after its first, with the surname particles before it. #}
{% macro last_word(column) -%}
    nullif({{ cdp.regex_extract(
        'trim(' ~ column ~ ')',
        '(?i)\\s((?:(?:' ~ cdp.surname_particles() ~ ')\\s+)*\\S+)$',
        1
    ) }}, '')
{%- endmacro %}

{% macro surname_particles() -%}
    van|von|vom|zu|de|der|den|del|della|dei|di|da|das|dos|du|la|le|lo|ten|ter|al|el|bin|ibn
{%- endmacro %}
