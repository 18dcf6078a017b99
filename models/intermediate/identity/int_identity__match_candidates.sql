{#
    Blocking: pairs of deterministic clusters worth comparing, because their profiles agree
    exactly on at least one blocking key. Each rule keeps the candidate set small; a pair
    found by several rules appears once, with the first rule that found it.

    `name_key` is the name a cluster goes by: its first and last name, or, for a cluster
    with no first name (orders, newsletter clicks), the name its mailbox spells
    (jennifer.jordan60939 -> jenniferjordan). So an order meets the loyalty member of that
    name at its postcode (comparison mailbox_name). First name, the surname's initial and
    postcode find a surname typed wrong on one side (David Capmbell on a loyalty form,
    David Campbell on the shop account), as last name and postcode find a first name typed
    wrong. Both must have a surname: a first name and a postcode alone are shared by
    neighbours; and the initial keeps the pairs few (at 1M people, 37k instead of 684k
    with first name and postcode alone, the same true pairs).
#}
{%- set blocking_rules = [
    ('last_name_and_birth_date', ['last_name_key', 'date_of_birth']),
    ('full_name_and_postcode', ['first_name_key', 'last_name_key', 'postal_code_key']),
    ('birth_date_and_postcode', ['date_of_birth', 'postal_code_key']),
    ('email_local_part', ['email_local_key']),
    ('street_and_postcode', ['street_key', 'postal_code_key']),
    ('last_name_and_postcode', ['last_name_key', 'postal_code_key']),
    ('mailbox_name_and_postcode', ['name_key', 'postal_code_key']),
    ('first_name_surname_initial_and_postcode', ['first_name_key', 'surname_initial', 'postal_code_key']),
] %}

with cluster_profiles as (
    select
        *,
        case
            when first_name_key is not null then first_name_key || last_name_key
            else {{ cdp.mailbox_spelled_name('email_local_key') }}
        end as name_key,
        left(last_name_key, 1) as surname_initial
    from {{ ref('int_identity__cluster_profiles') }}
),

blocked_pairs as (
    {%- for rule_name, keys in blocking_rules %}
        select
            left_profile.cluster_id as cluster_id_a,
            right_profile.cluster_id as cluster_id_b,
            {{ loop.index }} as rule_order,
            '{{ rule_name }}' as blocking_rule
        from cluster_profiles as left_profile
        inner join cluster_profiles as right_profile
            on left_profile.cluster_id < right_profile.cluster_id
            {%- for key in keys %}
                and left_profile.{{ key }} = right_profile.{{ key }}
            {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

first_rule as (
    select
        cluster_id_a,
        cluster_id_b,
        min(rule_order) as rule_order
    from blocked_pairs
    group by 1, 2
),

final as (
    select
        blocked_pairs.cluster_id_a,
        blocked_pairs.cluster_id_b,
        blocked_pairs.blocking_rule
    from blocked_pairs
    inner join first_rule
        on blocked_pairs.cluster_id_a = first_rule.cluster_id_a
        and blocked_pairs.cluster_id_b = first_rule.cluster_id_b
        and blocked_pairs.rule_order = first_rule.rule_order
)

select * from final
