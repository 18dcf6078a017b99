{#
    Fellegi-Sunter scores for every candidate pair, with the evidence: the level and weight
    of each comparison (an exact first or last name weighs by how common the name is:
    int_identity__match_term_frequencies), the total match weight (log2 Bayes factor), and the match
    probability under a prior estimated from the candidates themselves (three EM updates of
    the share of candidate pairs that are matches, with m and u held fixed).

    A pair is accepted when its match weight reaches var cdp_match_weight_threshold (bits
    of evidence, independent of the prior; the probability is reported alongside), unless a
    veto applies: clearly different first names (var
    cdp_match_veto_first_name_mismatch; twins share surname, address and birth date),
    different generational suffixes (Jr against Sr; var cdp_match_veto_name_suffix_mismatch;
    a suffix on one side only is no evidence, people leave it off),
    agreement on names alone with no birth date, address or phone to corroborate it, or
    agreement with nothing that points at the person rather than the household (no first
    name, birth date, phone, mailbox name, or a mailbox that spells the other side's full
    name) (both var cdp_match_require_corroboration;
    namesakes in one city, and a household's members, look like that), or mailboxes that
    end in different numbers, neither holding the other (var
    cdp_match_veto_mailbox_numbers_differ; harrygray99746 and harrygray99747 are two people,
    chloebrooks34901 and chloebrooks349011973 may be one).
    One veto looks past the pair (`bridges_rejected_pair`, var
    cdp_match_veto_bridges_rejected_pair): when a cluster is accepted with two clusters that
    were compared and kept apart, it would join those two through itself; it joins only the
    one it matches better, neither on a tie. A longer path is reported by the test
    assert_no_customer_joins_a_rejected_pair.
    "Why were these two merged?" = one row of this model.
#}
{%- set comparisons = cdp.match_comparisons() %}
{%- set frequency_adjusted = cdp.frequency_adjusted_comparisons() %}

{#- a pair's veto on its own evidence (null: none) -#}
{%- set pair_veto_reason -%}
    case
        when {{ var('cdp_match_veto_first_name_mismatch') }} and first_name_level = 0
            then 'first_name_mismatch'
        -- a father and the son named after him: one full name, often one address
        when {{ var('cdp_match_veto_name_suffix_mismatch') }} and name_suffix_a <> name_suffix_b
            then 'name_suffix_mismatch'
        -- names agree but nothing else does: namesakes look exactly like this
        when {{ var('cdp_match_require_corroboration') }}
            and not (
                coalesce(date_of_birth_level, 0) >= 2
                or coalesce(address_level, 0) >= 3
                or coalesce(phone_level, 0) >= 1
            )
            then 'no_corroborating_evidence'
        -- an address and a surname are what a household shares: something must point at
        -- the person (first name, birth date, phone, mailbox name, or a mailbox spelling
        -- the full name)
        when {{ var('cdp_match_require_corroboration') }}
            and not (
                coalesce(first_name_level, 0) >= 2
                or coalesce(date_of_birth_level, 0) >= 2
                or coalesce(phone_level, 0) >= 1
                or coalesce(email_local_part_level, 0) >= 1
                or coalesce(mailbox_name_level, 0) >= 2
            )
            then 'no_personal_evidence'
        -- two mailboxes numbered differently, neither number holding the other (85 and 1985
        -- may be one person's): a father's and his son's, or two namesakes'
        when {{ var('cdp_match_veto_mailbox_numbers_differ') }}
            and mailbox_number_a <> mailbox_number_b
            and {{ dbt.position('mailbox_number_a', 'mailbox_number_b') }} = 0
            and {{ dbt.position('mailbox_number_b', 'mailbox_number_a') }} = 0
            then 'mailbox_numbers_differ'
    end
{%- endset %}

with candidates as (
    select * from {{ ref('int_identity__match_candidates') }}
),

cluster_profiles as (
    select * from {{ ref('int_identity__cluster_profiles') }}
),

parameters as (
    select * from {{ ref('int_identity__match_parameters') }}
),

term_frequencies as (
    select * from {{ ref('int_identity__match_term_frequencies') }}
),

compared as (
    select
        candidates.cluster_id_a,
        candidates.cluster_id_b,
        candidates.blocking_rule,
        profile_a.name_suffix_key as name_suffix_a,
        profile_b.name_suffix_key as name_suffix_b,
        {{ cdp.mailbox_number('profile_a.email_local_key') }} as mailbox_number_a,
        {{ cdp.mailbox_number('profile_b.email_local_key') }} as mailbox_number_b,
        {%- for comparison, key in frequency_adjusted.items() %}
            profile_a.{{ key }} as {{ comparison }}_value,
        {%- endfor %}
        {{ cdp.comparison_levels('profile_a', 'profile_b') }}
    from candidates
    inner join cluster_profiles as profile_a on candidates.cluster_id_a = profile_a.cluster_id
    inner join cluster_profiles as profile_b on candidates.cluster_id_b = profile_b.cluster_id
),

weights as (
    select
        compared.*,
        {%- for comparison in comparisons %}
            {%- if comparison in frequency_adjusted %}
                {%- set m = 'weight_' ~ comparison ~ '.m_probability' %}
                {%- set share = 'frequency_' ~ comparison ~ '.value_share' %}
                case
                    when compared.{{ comparison }}_level = 3 and {{ share }} > 0
                        then ln({{ m }} / {{ share }}) / ln(2.0)
                    else coalesce(weight_{{ comparison }}.match_weight, 0)
                end as {{ comparison }}_weight{% if not loop.last %},{% endif %}
            {%- else %}
                coalesce(weight_{{ comparison }}.match_weight, 0) as {{ comparison }}_weight
                {%- if not loop.last %},{% endif %}
            {%- endif %}
        {%- endfor %}
    from compared
    {%- for comparison in comparisons %}
        left join parameters as weight_{{ comparison }}
            on weight_{{ comparison }}.comparison = '{{ comparison }}'
            and compared.{{ comparison }}_level = weight_{{ comparison }}.comparison_level
    {%- endfor %}
    {%- for comparison in frequency_adjusted %}
        left join term_frequencies as frequency_{{ comparison }}
            on frequency_{{ comparison }}.comparison = '{{ comparison }}'
            and compared.{{ comparison }}_value = frequency_{{ comparison }}.comparison_value
    {%- endfor %}
),

weighted as (
    select
        weights.*,
        {% for comparison in comparisons -%}
            {{ comparison }}_weight{% if not loop.last %} + {% endif %}
        {%- endfor %} as match_weight
    from weights
),

prior_0 as (
    select cast(0.01 as double) as prior_match_share
),
{%- for step in range(1, 4) %}

    -- rounded to 12 decimals: an average over many pairs, summed in parallel, differs in
    -- its last digits from run to run; rounded, a rebuild reproduces every probability
    prior_{{ step }} as (
        select
            round(avg(
                1.0 / (
                    1.0 + power(
                        2.0, -(
                            weighted.match_weight
                            + ln(
                                prior_{{ step - 1 }}.prior_match_share
                                / (1 - prior_{{ step - 1 }}.prior_match_share)
                            )
                            / ln(2.0)
                        )
                    )
                )
            ), 12)
                as prior_match_share
        from weighted
        cross join prior_{{ step - 1 }}
    ),
{%- endfor %}

scored as (
    select
        weighted.*,
        prior_3.prior_match_share,
        1.0 / (1.0 + power(2.0, -(
            weighted.match_weight
            + ln(prior_3.prior_match_share / (1 - prior_3.prior_match_share)) / ln(2.0)
        )))
            as match_probability
    from weighted
    cross join prior_3
),

-- each pair on its own evidence
pair_decisions as (
    select
        cluster_id_a,
        cluster_id_b,
        -- rounded: two pairs with the same evidence must weigh the same
        round(match_weight, 9) as match_weight,
        match_weight >= {{ var('cdp_match_weight_threshold') }}
        and {{ pair_veto_reason | trim | indent(8) }} is null as is_accepted
    from scored
),

accepted_sides as (
    select
        cluster_id_a as cluster_id,
        cluster_id_b as partner_id,
        match_weight
    from pair_decisions
    where is_accepted
    union all
    select
        cluster_id_b as cluster_id,
        cluster_id_a as partner_id,
        match_weight
    from pair_decisions
    where is_accepted
),

-- A cluster accepted with two clusters that were compared and kept apart would join those
-- two through itself (connected components join whatever any accepted pair joins). It
-- joins the one it matches better, neither on a tie: a son's loyalty form (name, birth
-- date, postcode) matches his own account and his father's alike.
bridged as (
    select distinct
        least(weaker.cluster_id, weaker.partner_id) as cluster_id_a,
        greatest(weaker.cluster_id, weaker.partner_id) as cluster_id_b
    from accepted_sides as weaker
    inner join accepted_sides as stronger
        on weaker.cluster_id = stronger.cluster_id
        and weaker.partner_id <> stronger.partner_id
        and weaker.match_weight <= stronger.match_weight
    inner join pair_decisions as kept_apart
        on least(weaker.partner_id, stronger.partner_id) = kept_apart.cluster_id_a
        and greatest(weaker.partner_id, stronger.partner_id) = kept_apart.cluster_id_b
    where not kept_apart.is_accepted
),

decided as (
    select
        scored.*,
        coalesce(
            {{ pair_veto_reason | trim | indent(8) }},
            case
                when {{ var('cdp_match_veto_bridges_rejected_pair') }} and bridged.cluster_id_a is not null
                    then 'bridges_rejected_pair'
            end
        ) as veto_reason
    from scored
    left join bridged
        on scored.cluster_id_a = bridged.cluster_id_a
        and scored.cluster_id_b = bridged.cluster_id_b
),

final as (
    select
        *,
        match_weight >= {{ var('cdp_match_weight_threshold') }}
        and veto_reason is null as is_match
    from decided
)

select * from final
