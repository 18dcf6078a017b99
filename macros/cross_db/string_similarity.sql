{# Jaro-Winkler similarity in [0, 1]; engines without it fall back to normalized Levenshtein. #}
{% macro string_similarity(left, right) -%}
    {{ return(adapter.dispatch('string_similarity', 'cdp')(left, right)) }}
{%- endmacro %}

{% macro default__string_similarity(left, right) -%}
    (1.0 - cast(levenshtein({{ left }}, {{ right }}) as double)
        / greatest(length({{ left }}), length({{ right }}), 1))
{%- endmacro %}

{% macro duckdb__string_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}

{#
    Spark has no Jaro-Winkler, and the default's Levenshtein puts a swap of two letters
    (capmbell, campbell: 0.75) below the close band, where Jaro-Winkler puts it at 0.97. The
    name levels, and the weights estimated from them, would differ from DuckDB's (decision
    0007). So Spark computes Jaro-Winkler in SQL with its higher-order functions, as DuckDB's
    jaro_winkler_similarity does (rapidfuzz):
    - matching: each letter of the left string, in order, takes the first unused equal
      letter of the right string within max(length) / 2 - 1 positions (`aggregate` over
      the left positions, carrying the right string's used flags);
    - jaro = (m / len(left) + m / len(right) + (m - t) / m) / 3, with m matched letters and
      t half the matched letters that differ when both sides are read in order;
    - Winkler: when jaro exceeds 0.7, plus 0.1 * (1 - jaro) per letter of the common
      prefix, up to four.
    `transform(array(x), v -> ...)[0]` names an intermediate value once (Spark SQL has no
    `let`). Checked against DuckDB on 273,566 pairs of names and streets: equal to 1e-15
    (decision 0007).
#}
{% macro spark__string_similarity(left, right) -%}
    {%- set a = '(' ~ left ~ ')' -%}
    {%- set b = '(' ~ right ~ ')' -%}
    {%- set window = 'greatest(cast(floor(greatest(length(' ~ a ~ '), length(' ~ b ~ ')) / 2) as int) - 1, 0)' -%}
    {%- set free_equal = 'j between greatest(1, i - ' ~ window ~ ') and least(length(' ~ b ~ '), i + ' ~ window ~ ')'
        ~ ' and not try_element_at(acc.used, j) and substr(' ~ b ~ ', j, 1) = substr(' ~ a ~ ', i, 1)' -%}
    {%- set candidates = 'filter(sequence(greatest(1, i - ' ~ window ~ '), i + ' ~ window ~ '), j -> ' ~ free_equal ~ ')' -%}
    case
        when {{ a }} is null or {{ b }} is null then null
        when {{ a }} = {{ b }} then 1.0
        when length({{ a }}) = 0 or length({{ b }}) = 0 then 0.0
        else transform(array(aggregate(
            sequence(1, length({{ a }})),
            named_struct('used', array_repeat(false, length({{ b }})), 'a_pos', cast(array() as array<int>)),
            (acc, i) -> case
                when size({{ candidates }}) > 0 then named_struct(
                    'used', transform(acc.used, (used, k) -> used or k + 1 = {{ candidates }}[0]),
                    'a_pos', concat(acc.a_pos, array(i)))
                else acc
            end
        )), matched -> transform(array(named_struct(
            'm', size(matched.a_pos),
            'a_pos', matched.a_pos,
            'b_pos', filter(sequence(1, length({{ b }})), k -> matched.used[k - 1])
        )), s -> case
            when s.m = 0 then 0.0
            else transform(array((
                s.m / length({{ a }}) + s.m / length({{ b }})
                + (s.m - floor(size(filter(sequence(1, s.m),
                    k -> substr({{ a }}, s.a_pos[k - 1], 1) <> substr({{ b }}, s.b_pos[k - 1], 1))) / 2)) / s.m
            ) / 3), jaro -> case
                when jaro > 0.7 then jaro + 0.1 * (1 - jaro) * size(filter(
                    sequence(1, least(4, length({{ a }}), length({{ b }}))),
                    k -> substr({{ a }}, 1, k) = substr({{ b }}, 1, k)))
                else jaro
            end)[0]
        end)[0])[0]
    end
{%- endmacro %}
