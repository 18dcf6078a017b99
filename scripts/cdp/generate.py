"""Realistic, dirty, multi-source customer data with ground truth, generated in DuckDB SQL.

Everything is computed set-wise from `range(N)`; randomness comes from `hash(key, salt,
seed)`, so the same seed gives the same data whatever the thread count, and no Python loop
touches a row. The generator knows who every record really belongs to and writes that to
schema `truth`, which no dbt model may read.

Layout of the work:
1. `truth.people`: one row per real person with clean attributes, household, activity
   window and churn date.
2. One temp table per source, built from people with dirt applied by SQL macros, keeping
   `person_idx` so the truth can be written from the same rows.
3. `raw.<table>` filled from those (contract columns only), plus re-deliveries.
4. `truth.source_records`, `truth.anonymous_ids`, `truth.generation`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import duckdb

from . import reference_data as ref

RAW_TABLES_WITH_KEYS = {
    "crm_contacts": "contact_id",
    "crm_accounts": "account_id",
    "shop_customers": "customer_id",
    "shop_orders": "order_id",
    "shop_order_items": "order_id",
    "tracking_events": "message_id",
    "pos_transactions": "transaction_id",
    "loyalty_members": "loyalty_card_id",
    "support_tickets": "ticket_id",
    "email_activity": "activity_id",
    "consent_events": "consent_event_id",
    "privacy_requests": "request_id",
}


@dataclass
class GenerationReport:
    people: int
    seed: int
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    raw_rows: dict[str, int] = field(default_factory=dict)
    truth_rows: dict[str, int] = field(default_factory=dict)
    dropped_schemas: list[str] = field(default_factory=list)

    @property
    def total_raw_rows(self) -> int:
        return sum(self.raw_rows.values())


def _sql_list(values) -> str:
    def lit(v):
        if v is None:
            return "null"
        if isinstance(v, (int, float)):
            return repr(v)
        return "'" + str(v).replace("'", "''") + "'"

    return "[" + ", ".join(lit(v) for v in values) + "]"


def _macros(seed: int) -> list[str]:
    """SQL macros for randomness and for the dirt each source applies to clean values."""
    return [
        # uniform [0, 1) from a key and a salt
        f"create or replace temp macro u(k, salt) as "
        f"(hash(k, salt, {int(seed)}) % 1000003)::double / 1000003",
        "create or replace temp macro pick(k, salt, n) as (floor(u(k, salt) * n))::bigint",
        # skewed pick: low indexes (the common names) far more often
        "create or replace temp macro zipf(k, salt, n) as (floor(pow(u(k, salt), 2.2) * n))::bigint",
        # name frequencies like real populations: the top first name ~4%, top surname ~1.5%
        "create or replace temp macro name_pick(k, salt, n, skew) as "
        "(floor(pow(u(k, salt), skew) * n))::bigint",
        # bijective scramble of keys below 2^40, so ids look random but never collide
        "create or replace temp macro scramble(x) as "
        "((x::hugeint * 2654435761 + 97531) % 1099511627776)::bigint",
        "create or replace temp macro uuid_hex(h) as ("
        "  substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-'"
        "  || substr(h, 17, 4) || '-' || substr(h, 21, 12))",
        "create or replace temp macro uuid_of(k, salt) as (uuid_hex(md5(k::varchar || salt)))",
        "create or replace temp macro ts_between(a, b, f) as "
        "(a + to_microseconds(((epoch_us(b) - epoch_us(a)) * f)::bigint))",
        # ---- dirt ----
        """
        create or replace temp macro email_local_dirty(local, domain, k) as (
            case when domain = 'gmail.com' and u(k, 'e_dot') < 0.15
                 then replace(local, '.', '') else local end
            || case when u(k, 'e_plus') < 0.04
                 then '+' || ['shop', 'news', 'promo', 'deals'][1 + pick(k, 'e_plusw', 4)]
                 else '' end
        )
        """,
        "create or replace temp macro email_domain_dirty(domain, k) as ("
        "  case when u(k, 'e_typo') < 0.025 then case domain "
        + " ".join(
            f"when '{domain}' then {_sql_list(typos)}[1 + pick(k, 'e_typow', {len(typos)})]"
            for domain, typos in ref.DOMAIN_TYPOS.items()
        )
        + " else domain end else domain end)",
        """
        create or replace temp macro dirty_email(e, k) as (
            case
                when e is null or u(k, 'e_null') < 0.04 then null
                when u(k, 'e_junk') < 0.004 then
                    ['test@test.com', 'noemail@example.com', 'none@none.com'][1 + pick(k, 'e_junkw', 3)]
                when u(k, 'e_bad') < 0.008 then
                    replace(e, '@', ['', '@@', ' @ '][1 + pick(k, 'e_badw', 3)])
                else
                    (case when u(k, 'e_ws') < 0.04 then ' ' else '' end)
                    || (case
                            when u(k, 'e_case') < 0.05 then upper(
                                email_local_dirty(split_part(e, '@', 1), split_part(e, '@', 2), k)
                                || '@' || email_domain_dirty(split_part(e, '@', 2), k))
                            when u(k, 'e_case') < 0.14 then
                                upper(left(e, 1))
                                || substr(email_local_dirty(split_part(e, '@', 1), split_part(e, '@', 2), k), 2)
                                || '@' || email_domain_dirty(split_part(e, '@', 2), k)
                            else
                                email_local_dirty(split_part(e, '@', 1), split_part(e, '@', 2), k)
                                || '@' || email_domain_dirty(split_part(e, '@', 2), k)
                        end)
                    || (case when u(k, 'e_ws2') < 0.03 then '  ' else '' end)
            end
        )
        """,
        # an address a system sends mail to: typos and aliases as signed up, never missing
        """
        create or replace temp macro esp_email(e, k) as (
            lower(email_local_dirty(split_part(e, '@', 1), split_part(e, '@', 2), k)
                  || '@' || email_domain_dirty(split_part(e, '@', 2), k))
        )
        """,
        # phone: canonical E.164 in, one of many real-world spellings out
        """
        create or replace temp macro us_phone_format(n, f) as (
            [
                '+1' || n,
                '+1 (' || substr(n, 1, 3) || ') ' || substr(n, 4, 3) || '-' || substr(n, 7),
                substr(n, 1, 3) || '.' || substr(n, 4, 3) || '.' || substr(n, 7),
                '(' || substr(n, 1, 3) || ') ' || substr(n, 4, 3) || '-' || substr(n, 7),
                n,
                '001 ' || substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7),
                '1-' || substr(n, 1, 3) || '-' || substr(n, 4, 3) || '-' || substr(n, 7),
                substr(n, 1, 3) || '-' || substr(n, 4, 3) || '-' || substr(n, 7)
            ][f]
        )
        """,
        """
        create or replace temp macro gb_phone_format(n, f) as (
            [
                '+44' || n,
                '+44 ' || substr(n, 1, 4) || ' ' || substr(n, 5),
                '0' || n,
                '0' || substr(n, 1, 4) || ' ' || substr(n, 5),
                '0044 ' || substr(n, 1, 4) || ' ' || substr(n, 5),
                '(0' || substr(n, 1, 4) || ') ' || substr(n, 5, 3) || ' ' || substr(n, 8),
                '+44 (0)' || substr(n, 1, 4) || ' ' || substr(n, 5),
                '0' || substr(n, 1, 4) || '-' || substr(n, 5)
            ][f]
        )
        """,
        """
        create or replace temp macro dirty_phone(p, k) as (
            case
                when p is null or u(k, 'p_null') < 0.05 then null
                when u(k, 'p_junk') < 0.003 then ['0000000000', '1234567890', '+1 555 555 5555'][1 + pick(k, 'p_junkw', 3)]
                when u(k, 'p_short') < 0.004 then right(p, 5)
                when left(p, 2) = '+1' then us_phone_format(substr(p, 3), 1 + pick(k, 'p_fmt', 8))
                else gb_phone_format(substr(p, 4), 1 + pick(k, 'p_fmt', 8))
            end
        )
        """,
        # names: typos, case, accents, whitespace; nicknames are chosen by the caller
        """
        create or replace temp macro name_typo(s, k) as (
            case
                when length(s) < 4 then s
                when u(k, 'n_typo_kind') < 0.5 then
                    left(s, 1 + pick(k, 'n_typo_at', length(s) - 2))
                    || substr(s, 3 + pick(k, 'n_typo_at', length(s) - 2), 1)
                    || substr(s, 2 + pick(k, 'n_typo_at', length(s) - 2), 1)
                    || substr(s, 4 + pick(k, 'n_typo_at', length(s) - 2))
                else
                    left(s, 1 + pick(k, 'n_typo_at', length(s) - 2))
                    || substr(s, 3 + pick(k, 'n_typo_at', length(s) - 2))
            end
        )
        """,
        """
        create or replace temp macro dirty_name(s, k, rate) as (
            case
                when s is null or u(k, 'n_null') < 0.02 then null
                else
                    (case when u(k, 'n_ws') < 0.03 then ' ' else '' end)
                    || (case
                            when u(k, 'n_case') < 0.06 then upper(s)
                            when u(k, 'n_case') < 0.11 then lower(s)
                            else s
                        end)
                    || (case when u(k, 'n_ws2') < 0.03 then ' ' else '' end)
            end
        )
        """,
        """
        create or replace temp macro name_variant(s, k, rate) as (
            case
                when s is null then null
                when u(k, 'n_typo') < rate then name_typo(s, k)
                when u(k, 'n_acc') < 0.4 then strip_accents(s)
                else s
            end
        )
        """,
        # a generational suffix as people write it after their surname, when they do: a son
        # named after his father more often than the father
        """
        create or replace temp macro suffix_text(suffix, k) as (
            case
                when suffix = 'Jr' and u(k, 'sfx') < 0.5
                    then [' Jr.', ' Jr', ', Jr.', ' JR'][1 + pick(k, 'sfx_w', 4)]
                when suffix = 'Sr' and u(k, 'sfx') < 0.25
                    then [' Sr.', ' Sr', ', Sr.'][1 + pick(k, 'sfx_w', 3)]
                else ''
            end
        )
        """,
        # dates of birth as text in many formats, some unparseable
        """
        create or replace temp macro dirty_dob(d, country, k) as (
            case
                when d is null then null
                when u(k, 'd_bad') < 0.015 then
                    ['unknown', '00/00/0000', '31/31/1990', '1990-13-45', 'n/a'][1 + pick(k, 'd_badw', 5)]
                when u(k, 'd_fmt') < 0.40 then strftime(d, '%Y-%m-%d')
                when u(k, 'd_fmt') < 0.65 and country = 'GB' then strftime(d, '%d/%m/%Y')
                when u(k, 'd_fmt') < 0.65 then strftime(d, '%m/%d/%Y')
                when u(k, 'd_fmt') < 0.75 then strftime(d, '%d.%m.%Y')
                when u(k, 'd_fmt') < 0.85 then strftime(d, '%Y%m%d')
                when u(k, 'd_fmt') < 0.95 then strftime(d, '%B %-d, %Y')
                else strftime(d, '%Y-%m-%dT00:00:00')
            end
        )
        """,
        """
        create or replace temp macro dirty_postal(pc, k) as (
            case
                when pc is null or u(k, 'pc_null') < 0.03 then null
                when regexp_full_match(pc, '[0-9]{5}') then
                    case
                        when u(k, 'pc_zip4') < 0.10 then pc || '-' || lpad(pick(k, 'pc_z4', 10000)::varchar, 4, '0')
                        when left(pc, 1) = '0' and u(k, 'pc_excel') < 0.5 then ltrim(pc, '0')
                        else pc
                    end
                else
                    case
                        when u(k, 'pc_gb') < 0.15 then lower(pc)
                        when u(k, 'pc_gb') < 0.35 then replace(pc, ' ', '')
                        else pc
                    end
            end
        )
        """,
        """
        create or replace temp macro dirty_street(s, k) as (
            case
                when s is null or u(k, 'st_null') < 0.03 then null
                when u(k, 'st_abbr') < 0.35 then
                    regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                        s, ' Street$', ' St.'), ' Avenue$', ' Ave'), ' Road$', ' Rd'), ' Drive$', ' Dr')
                when u(k, 'st_case') < 0.05 then upper(s)
                else s
            end
        )
        """,
    ]


def _reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create or replace temp table ref_first_names (idx integer, gender varchar, "
                "first_name varchar, nickname varchar)")
    for gender in ("F", "M"):
        rows = [(n, g, nick) for n, g, nick in ref.FIRST_NAMES if g == gender]
        con.executemany(
            "insert into ref_first_names values (?, ?, ?, ?)",
            [(i, g, n, nick) for i, (n, g, nick) in enumerate(rows)],
        )
    con.execute("create or replace temp table ref_last_names (idx integer, last_name varchar)")
    con.executemany("insert into ref_last_names values (?, ?)", list(enumerate(ref.LAST_NAMES)))
    con.execute("create or replace temp table ref_cities (idx integer, city varchar, "
                "state varchar, country varchar, postal_prefix varchar, area_code varchar)")
    for country in ("US", "GB"):
        rows = [c for c in ref.CITIES if c[2] == country]
        con.executemany(
            "insert into ref_cities values (?, ?, ?, ?, ?, ?)",
            [(i, *c) for i, c in enumerate(rows)],
        )
    con.execute("create or replace temp table ref_products (idx integer, sku_prefix varchar, "
                "product_name varchar, category varchar, price decimal(18,2))")
    con.executemany("insert into ref_products values (?, ?, ?, ?, ?)",
                    [(i, *p) for i, p in enumerate(ref.PRODUCTS)])
    con.execute("create or replace temp table ref_domains (country varchar, idx integer, "
                "domain varchar)")
    for country, domains in ref.EMAIL_DOMAINS.items():
        con.executemany("insert into ref_domains values (?, ?, ?)",
                        [(country, i, d) for i, d in enumerate(domains)])


def _people_sql(n: int, start: date, end: date) -> str:
    n_streets = len(ref.STREETS)
    n_types = len(ref.STREET_TYPES)
    n_f = sum(1 for x in ref.FIRST_NAMES if x[1] == "F")
    n_m = sum(1 for x in ref.FIRST_NAMES if x[1] == "M")
    n_last = len(ref.LAST_NAMES)
    n_us = sum(1 for c in ref.CITIES if c[2] == "US")
    n_gb = sum(1 for c in ref.CITIES if c[2] == "GB")
    n_dom_us = len(ref.EMAIL_DOMAINS["US"])
    n_dom_gb = len(ref.EMAIL_DOMAINS["GB"])
    streets = _sql_list(ref.STREETS)
    types = _sql_list([t[0] for t in ref.STREET_TYPES])
    return f"""
    create or replace table truth.people as
    with base as (
        select
            i as person_idx,
            -- a new household starts unless this person joins the previous one
            case when i = 0 or u(i, 'hh') >= 0.42 then 1 else 0 end as starts_household
        from range({n}) as t(i)
    ),

    households as (
        select
            person_idx,
            sum(starts_household) over (order by person_idx rows unbounded preceding) - 1
                as household_idx
        from base
    ),

    ranked as (
        select
            person_idx,
            household_idx,
            person_idx - min(person_idx) over (partition by household_idx) + 1 as household_rank,
            count(*) over (partition by household_idx) as household_size,
            case when u(household_idx, 'country') < 0.75 then 'US' else 'GB' end as country
        from households
    ),

    drawn as (
        select
            ranked.*,
            case when u(person_idx, 'gender') < 0.5 then 'F' else 'M' end as gender,
            case
                when household_rank = 1 or u(person_idx, 'own_last') >= 0.15
                    then name_pick(household_idx, 'last', {n_last}, 1.2)
                else name_pick(person_idx, 'last', {n_last}, 1.2)
            end as last_idx,
            case when country = 'US' then zipf(household_idx, 'city', {n_us})
                 else zipf(household_idx, 'city', {n_gb}) end as city_idx,
            date '1946-01-01' + pick(person_idx, 'dob', 365 * 60)::integer as dob_own,
            u(person_idx, 'twin') < 0.04 and household_rank > 1 as is_twin
        from ranked
    ),

    twins as (
        select
            drawn.*,
            name_pick(person_idx, 'first', case when gender = 'F' then {n_f} else {n_m} end, 1.3)
                as first_idx_own,
            -- twins share birth date and surname with the previous household member
            case when is_twin then lag(dob_own) over (order by person_idx) else dob_own end
                as dob_or_twin,
            case when is_twin then lag(last_idx) over (order by person_idx) else last_idx end
                as last_idx_or_twin
        from drawn
    ),

    juniors as (
        select
            twins.*,
            -- a son named after his father, the household's first member: "Jr."
            coalesce(
                household_rank = 2 and not is_twin and gender = 'M'
                and lag(gender) over (order by person_idx) = 'M'
                and lag(dob_or_twin) over (order by person_idx) <= date '1985-12-31'
                and u(person_idx, 'junior') < 0.2,
                false
            ) as is_junior
        from twins
    ),

    named as (
        select
            juniors.*,
            case when is_junior then lag(first_idx_own) over (order by person_idx)
                 else first_idx_own end as first_idx,
            case when is_junior then lag(last_idx_or_twin) over (order by person_idx)
                 else last_idx_or_twin end as last_idx_final,
            -- born 20 to 38 years after his father, and an adult
            case
                when is_junior then
                    lag(dob_or_twin) over (order by person_idx) + interval 20 year
                    + to_days(pick(person_idx, 'junior_age', least(
                        365 * 18,
                        1 + date_diff('day', lag(dob_or_twin) over (order by person_idx)
                                                 + interval 20 year, date '2007-12-31')
                    ))::integer)
                else dob_or_twin
            end::date as date_of_birth,
            case when is_junior then 'Jr'
                 when lead(is_junior) over (order by person_idx) then 'Sr' end as name_suffix
        from juniors
    ),

    attributes as (
        select
            named.person_idx,
            named.household_idx,
            named.household_rank,
            named.household_size,
            named.is_twin,
            named.gender,
            fn.first_name,
            fn.nickname,
            ln.last_name,
            named.name_suffix,
            named.date_of_birth,
            named.country,
            city.city,
            city.state,
            (1 + pick(named.household_idx, 'house_no', 2400))::varchar || ' '
                || {streets}[1 + pick(named.household_idx, 'street', {n_streets})] || ' '
                || {types}[1 + pick(named.household_idx, 'street_type', {n_types})]
                as street_address,
            case
                when named.country = 'US' then
                    city.postal_prefix || lpad(pick(named.household_idx, 'zip', 100)::varchar, 2, '0')
                else
                    city.postal_prefix || (1 + pick(named.household_idx, 'pc1', 20))::varchar || ' '
                    || pick(named.household_idx, 'pc2', 10)::varchar
                    || chr(65 + pick(named.household_idx, 'pc3', 26)::integer)
                    || chr(65 + pick(named.household_idx, 'pc4', 26)::integer)
            end as postal_code,
            city.area_code,
            u(named.person_idx, 'email_style') as email_style,
            case when named.country = 'US' then pick(named.person_idx, 'domain', {n_dom_us})
                 else pick(named.person_idx, 'domain', {n_dom_gb}) end as domain_idx
        from named
        inner join ref_first_names as fn
            on fn.gender = named.gender and fn.idx = named.first_idx
        inner join ref_last_names as ln
            on ln.idx = named.last_idx_final
        inner join ref_cities as city
            on city.country = named.country and city.idx = named.city_idx
    ),

    contact as (
        select
            attributes.*,
            lower(regexp_replace(strip_accents(
                case
                    when email_style < 0.5 then first_name || '.' || last_name
                    when email_style < 0.8 then left(first_name, 1) || last_name
                    else first_name || '_' || last_name
                end), '[^A-Za-z._]', '', 'g'))
                || person_idx::varchar || '@' || dom.domain as email,
            -- unique phone numbers: an odd multiplier is a bijection on the number range
            case
                when attributes.country = 'US' then
                    '+1' || area_code
                    || (2000000 + (person_idx::hugeint * 7919 % 8000000))::bigint::varchar
                else
                    '+447' || (100000000 + (person_idx::hugeint * 7919 % 900000000))::bigint::varchar
            end as phone,
            u(person_idx, 'has_phone') < 0.85 as has_phone
        from attributes
        inner join ref_domains as dom
            on dom.country = attributes.country and dom.idx = attributes.domain_idx
    ),

    activity as (
        select
            contact.*,
            ts_between(timestamp '{start}', timestamp '{end}',
                       0.85 * u(person_idx, 'first_active')) as active_from,
            u(person_idx, 'churns') < 0.35 as will_churn,
            0.3 + 2.5 * pow(u(person_idx, 'intensity'), 2) as intensity
        from contact
    )

    select
        activity.*,
        case when will_churn
             then ts_between(active_from, timestamp '{end}', 0.15 + 0.8 * u(person_idx, 'churn_at'))
        end as churned_at,
        -- which systems know this person
        u(person_idx, 'shop') < 0.55 as has_shop_account,
        case when u(person_idx, 'shop2') < 0.04 then 2 else 1 end as shop_accounts,
        u(person_idx, 'crm') < 0.16 as is_crm,
        u(person_idx, 'b2b') < 0.6 as is_b2b,
        u(person_idx, 'loyalty') < 0.25 as is_loyalty_member,
        u(person_idx, 'store') < 0.35 as is_store_shopper,
        u(person_idx, 'guest') < 0.30 as is_guest_buyer,
        u(person_idx, 'support') < 0.10 as is_support_requester,
        u(person_idx, 'subscriber') < 0.45 as is_subscriber,
        u(person_idx, 'consent') < 0.40 as gives_consent,
        u(person_idx, 'privacy') < 0.003 as makes_privacy_request,
        u(person_idx, 'tablet') < 0.08 and household_size > 1 as uses_family_tablet,
        -- newsletters, consent and support reach people who gave the shop their email
        u(person_idx, 'shop') < 0.55
            or (u(person_idx, 'guest') < 0.30 and u(person_idx, 'shop') >= 0.55)
            as gave_email_somewhere
    from activity
    """


def _sources_sql(n: int, end: date) -> list[tuple[str, str]]:
    """(step name, SQL) for every temp source table, in dependency order."""
    end_ts = f"timestamp '{end}'"
    n_products = len(ref.PRODUCTS)
    n_accounts = max(1, n // 60)
    companies = _sql_list(ref.COMPANY_WORDS)
    suffixes = _sql_list(ref.COMPANY_SUFFIXES)
    industries = _sql_list(ref.INDUSTRIES)
    subjects = _sql_list(ref.TICKET_SUBJECTS)
    active_until = f"coalesce(p.churned_at, {end_ts})"
    # purchases and store visits follow a yearly rate while the person is active, so long
    # customers buy more than recent ones, and a churner's activity fades before they go
    active_years = f"(epoch({active_until} - p.active_from) / (365.25 * 86400))"
    # events are denser early for people who will churn: engagement fades before they go
    fade = "case when p.will_churn then 2.5 else 0.8 end"
    steps = [
        ("accounts", f"""
        create or replace temp table gen_crm_accounts as
        select
            i as account_idx,
            'ACC' || lpad(scramble(i)::varchar, 13, '0') as account_id,
            {companies}[1 + pick(i, 'co1', {len(ref.COMPANY_WORDS)})] || ' '
                || {companies}[1 + pick(i, 'co2', {len(ref.COMPANY_WORDS)})] || ' '
                || {suffixes}[1 + pick(i, 'co3', {len(ref.COMPANY_SUFFIXES)})] as account_name,
            {industries}[1 + pick(i, 'ind', {len(ref.INDUSTRIES)})] as industry,
            case when u(i, 'acountry') < 0.75 then 'US' else 'GB' end as country,
            ts_between(timestamp '2019-01-01', {end_ts}, u(i, 'acreated')) as created_at
        from range({n_accounts}) as t(i)
        """),
        ("crm_contacts", f"""
        create or replace temp table gen_crm_contacts as
        with contacts as (
            select p.*, copy_no, p.person_idx * 4 + copy_no as k
            from truth.people as p,
                 unnest(range(case when u(p.person_idx, 'crm_dup') < 0.06 then 2 else 1 end))
                     as c(copy_no)
            where p.is_crm
        )

        select
            p.person_idx,
            case when u(p.k, 'null_key') < 0.002 then null
                 else 'CON' || lpad(scramble(p.k)::varchar, 13, '0') end as contact_id,
            case when p.is_b2b then acc.account_id end as account_id,
            case when u(p.k, 'swap') < 0.015 then name_variant(p.last_name, p.k, 0.03)
                 else name_variant(p.first_name, p.k, 0.03) end as first_name_clean,
            case when u(p.k, 'swap') < 0.015 then name_variant(p.first_name, p.k + 1, 0.03)
                 else name_variant(p.last_name, p.k + 1, 0.03) || suffix_text(p.name_suffix, p.k)
            end as last_name_clean,
            -- B2B contacts mostly give their work address, not their personal one
            case when p.is_b2b and u(p.k, 'work_email') < 0.7
                 then lower(regexp_replace(strip_accents(p.first_name || '.' || p.last_name),
                                           '[^A-Za-z.]', '', 'g'))
                      || '@' || lower(regexp_replace(acc.account_name, '[^A-Za-z]', '', 'g')) || '.com'
                 else p.email end as email_clean,
            case when p.has_phone then p.phone end as phone_clean,
            p.street_address, p.city, p.postal_code, p.state, p.country,
            case when u(p.k, 'crm_dob') < 0.3 then p.date_of_birth end as dob_clean,
            case when p.is_b2b then ['working', 'qualified', 'customer'][1 + pick(p.k, 'ls', 3)]
                 else ['new', 'working', 'unqualified', 'customer'][1 + pick(p.k, 'ls', 4)]
            end as lead_status,
            ts_between(p.active_from - interval 90 day, p.active_from, u(p.k, 'crm_created'))
                as created_at,
            p.k
        from contacts as p
        left join gen_crm_accounts as acc
            on acc.account_idx = pick(p.person_idx, 'account', {n_accounts})
        """),
        ("shop_customers", """
        create or replace temp table gen_shop_customers as
        select
            p.person_idx,
            a.account_no,
            p.person_idx * 4 + a.account_no as k,
            case when u(p.person_idx * 4 + a.account_no, 'null_key') < 0.002 then null
                 else (1000000000000 + scramble(p.person_idx * 4 + a.account_no))::varchar
            end as customer_id,
            -- a second account is opened with another address
            case when a.account_no = 0 then p.email
                 else replace(p.email, '@', '.' || (1970 + year(p.date_of_birth) % 30)::varchar || '@')
            end as email_clean,
            case when p.has_phone then p.phone end as phone_clean,
            case when u(p.person_idx * 4 + a.account_no, 'nick') < 0.12
                 then coalesce(p.nickname, p.first_name) else p.first_name end as first_name_raw,
            p.last_name as last_name_raw,
            p.name_suffix,
            u(p.person_idx * 4 + a.account_no, 'marketing') < 0.55 as accepts_marketing,
            ts_between(p.active_from, p.active_from + interval 30 day,
                       u(p.person_idx * 4 + a.account_no, 'created')) as created_at
        from truth.people as p,
             unnest(range(p.shop_accounts)) as a(account_no)
        where p.has_shop_account
        """),
        ("shop_orders", f"""
        create or replace temp table gen_shop_orders as
        with slots as (
            -- account orders use slots 0..59, guest checkouts 60..63
            select p.person_idx, s.account_no, s.customer_id, false as is_guest_slot,
                   s.account_no * 30 + o.order_no as slot
            from gen_shop_customers as s
            inner join truth.people as p on p.person_idx = s.person_idx,
                 unnest(range(least(29, floor(-ln(1 - u(s.k, 'n_orders')) * 1.4 * p.intensity * {active_years}))::bigint))
                     as o(order_no)
            union all
            select p.person_idx, null, null, true, 60 + o.order_no
            from truth.people as p,
                 unnest(range(1 + pick(p.person_idx, 'n_guest', 3))) as o(order_no)
            where p.is_guest_buyer and not p.has_shop_account
        )

        select
            p.person_idx,
            p.person_idx * 64 + s.slot as k,
            case when u(p.person_idx * 64 + s.slot, 'null_key') < 0.002 then null
                 else (5000000000000 + scramble(p.person_idx * 64 + s.slot))::varchar
            end as order_id,
            -- one account order in ten is still placed as a guest
            case when s.is_guest_slot or u(p.person_idx * 64 + s.slot, 'as_guest') < 0.10
                 then null else s.customer_id end as customer_id,
            p.email as email_clean,
            case when p.has_phone and u(p.person_idx * 64 + s.slot, 'order_phone') < 0.7
                 then p.phone end as phone_clean,
            p.street_address, p.city, p.postal_code, p.country,
            case when p.country = 'US' then 'USD' else 'GBP' end as currency,
            ts_between(p.active_from, {active_until},
                       pow(u(p.person_idx * 64 + s.slot, 'ordered'), {fade})) as ordered_at,
            u(p.person_idx * 64 + s.slot, 'status') as status_draw,
            1 + pick(p.person_idx * 64 + s.slot, 'n_items', 4) as n_items,
            case when u(p.person_idx * 64 + s.slot, 'discounted') < 0.25 then 0.1 else 0 end
                as discount_rate
        from slots as s
        inner join truth.people as p on p.person_idx = s.person_idx
        """),
        ("shop_order_items", f"""
        create or replace temp table gen_shop_order_items as
        select
            o.person_idx,
            o.order_id,
            o.k * 8 + o.line_no as line_k,
            o.line_no + 1 as line_number,
            pr.sku_prefix || '-' || lpad(pick(o.k * 8 + o.line_no, 'variant', 40)::varchar, 3, '0')
                as sku,
            pr.product_name,
            pr.category,
            case when u(o.k * 8 + o.line_no, 'neg_qty') < 0.005
                 then -(1 + pick(o.k * 8 + o.line_no, 'qty', 3))
                 else 1 + pick(o.k * 8 + o.line_no, 'qty', 3) end as quantity,
            case when o.currency = 'GBP' then round(pr.price * 0.8, 2) else pr.price end
                as unit_price
        from (
            select o.*, l.line_no, zipf(o.k * 8 + l.line_no, 'product', {n_products}) as product_idx
            from gen_shop_orders as o,
                 unnest(range(o.n_items)) as l(line_no)
        ) as o
        inner join ref_products as pr on pr.idx = o.product_idx
        """),
        ("devices", """
        create or replace temp table gen_devices as
        with owned as (
            select
                p.person_idx,
                d.device_no,
                p.person_idx * 8 + d.device_no as k,
                uuid_of(p.person_idx * 8 + d.device_no, 'anon') as anonymous_id,
                false as is_family_tablet
            from truth.people as p,
                 unnest(range(case when p.has_shop_account then 1 + pick(p.person_idx, 'n_dev', 2)
                                   else pick(p.person_idx, 'n_dev', 3) end)) as d(device_no)
            union all
            -- a family tablet: one anonymous_id that several household members log into
            select p.person_idx, 7, p.person_idx * 8 + 7,
                   uuid_of(p.household_idx, 'family_tablet'), true
            from truth.people as p
            where p.uses_family_tablet
        )

        select
            owned.*,
            case when is_family_tablet then 'ios'
                 when u(k, 'source') < 0.6 then 'web'
                 when u(k, 'source') < 0.85 then 'ios' else 'android' end as source,
            -- account holders log in; others sometimes leave an email on an identify call
            p.has_shop_account or u(owned.k, 'newsletter') < 0.12 as identifies
        from owned
        inner join truth.people as p on p.person_idx = owned.person_idx
        """),
        # the biggest table goes straight into raw: its truth is the device table.
        # JSON is built once per device (context) and once per product (properties), not
        # once per event: this step dominates the generator's run time.
        ("tracking_events", f"""
        insert into raw.tracking_events by name
        with product_payloads as (
            select
                pr.idx as product_idx,
                m.cart_items,
                json_object(
                    'path', '/products/' || lower(pr.sku_prefix),
                    'url', 'https://shop.example.com/products/' || lower(pr.sku_prefix),
                    'title', pr.product_name)::varchar as page_properties,
                json_object(
                    'sku', pr.sku_prefix || '-001',
                    'product_name', pr.product_name,
                    'category', pr.category,
                    'price', pr.price,
                    'cart_value', pr.price * m.cart_items,
                    'currency', 'USD')::varchar as track_properties
            from ref_products as pr
            cross join (values (1), (2), (3)) as m(cart_items)
        ),

        devices as (
            select
                d.*,
                p.has_shop_account,
                s.customer_id as user_id,
                p.email, p.first_name, p.last_name, p.phone, p.has_phone,
                ts_between(p.active_from, {active_until}, pow(u(d.k, 'dev_start'), {fade}))
                    as device_start,
                2 + pick(d.k, 'n_events', 9) as n_events,
                pick(d.k, 'login_at', 2 + pick(d.k, 'n_events', 9)) as login_at,
                1 + pick(d.k, 'gap', 20) as days_between_sessions,
                json_object(
                    'ip', '10.' || pick(d.k, 'ip1', 255) || '.' || pick(d.k, 'ip2', 255) || '.'
                          || pick(d.k, 'ip3', 255),
                    'user_agent', case d.source
                        when 'web' then 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'
                        when 'ios' then 'ShopApp/4.2 (iPhone; iOS 18.1)'
                        else 'ShopApp/4.2 (Linux; Android 15)' end,
                    -- app devices expose a device id; limited ad tracking zeroes it
                    'device', json_object('id', case
                        when d.source = 'web' then null
                        when d.source = 'ios' and u(d.k, 'idfa_zero') < 0.15
                            then '00000000-0000-0000-0000-000000000000'
                        else upper(uuid_of(d.k, 'device')) end),
                    'page', json_object('url', 'https://shop.example.com/'),
                    'campaign', case when u(d.k, 'campaign') < 0.2 then json_object(
                        'source', ['google', 'facebook', 'newsletter'][1 + pick(d.k, 'csrc', 3)],
                        'medium', 'cpc', 'name', 'autumn_sale') end
                )::varchar as context
            from gen_devices as d
            inner join truth.people as p on p.person_idx = d.person_idx
            left join gen_shop_customers as s
                on s.person_idx = d.person_idx and s.account_no = 0
        ),

        events as (
            select
                devices.*,
                e.event_no,
                devices.k * 32 + e.event_no as ek
            from devices,
                 unnest(range(devices.n_events)) as e(event_no)
        ),

        typed as (
            select
                events.*,
                u(ek, 'kind') as kind_draw,
                device_start
                    + to_minutes(event_no * 3 + pick(ek, 'jitter', 3))
                    + to_days((event_no // 4) * days_between_sessions) as event_ts,
                -- account holders log in at `login_at`; others sometimes leave an email
                identifies and event_no = login_at as is_identify,
                has_shop_account and event_no >= login_at as is_logged_in,
                zipf(ek, 'product', {n_products}) as product_idx,
                1 + pick(ek, 'cart', 3) as cart_items
            from events
        ),

        assembled as (
            select
                case when u(t.ek, 'null_key') < 0.001 then null
                     else uuid_of(t.ek, 'message') end as message_id,
                t.source,
                case when t.is_identify then 'identify'
                     when t.kind_draw < 0.55 then case when t.source = 'web' then 'page' else 'screen' end
                     else 'track' end as type,
                case
                    when t.is_identify or t.kind_draw < 0.55 then null
                    when t.kind_draw < 0.75 then 'Product Viewed'
                    when t.kind_draw < 0.85 then 'Product Added'
                    when t.kind_draw < 0.91 then 'Products Searched'
                    when t.kind_draw < 0.96 then 'Checkout Started'
                    else 'Order Completed'
                end as event,
                t.anonymous_id,
                case when t.is_logged_in then t.user_id end as user_id,
                case when t.is_identify then '{{}}'
                     when t.kind_draw < 0.55 then pp.page_properties
                     else pp.track_properties end as properties_clean,
                case when t.is_identify then json_object(
                    'email', dirty_email(t.email, t.ek),
                    'first_name', t.first_name,
                    'last_name', t.last_name,
                    'phone', case when t.has_phone then dirty_phone(t.phone, t.ek) end)::varchar
                end as traits,
                t.context,
                t.event_ts as timestamp,
                -- most events arrive within seconds; offline mobile batches arrive days late
                case when u(t.ek, 'late') < 0.03
                     then t.event_ts + to_hours(1 + pick(t.ek, 'late_h', 72))
                     else t.event_ts + to_seconds(1 + pick(t.ek, 'lat', 5)) end as received_at,
                u(t.ek, 'broken_json') < 0.005 as has_broken_json
            from typed as t
            inner join product_payloads as pp
                on pp.product_idx = t.product_idx and pp.cart_items = t.cart_items
            where t.event_ts < {end_ts}
        )

        select
            message_id, source, type, event, anonymous_id, user_id,
            -- a truncated payload: the collector cut the JSON mid-way
            case when has_broken_json then left(properties_clean, length(properties_clean) // 2)
                 else properties_clean end as properties,
            traits, context, timestamp, received_at,
            received_at + interval 5 minute as _loaded_at
        from assembled
        """),
        ("pos_transactions", f"""
        create or replace temp table gen_pos_transactions as
        with visits as (
            select p.*, v.visit_no, p.person_idx * 32 + v.visit_no as k
            from truth.people as p,
                 unnest(range(least(31, floor(-ln(1 - u(p.person_idx, 'n_visits')) * 1.8 * p.intensity * {active_years}))::bigint))
                     as v(visit_no)
            where p.is_store_shopper or p.is_loyalty_member
        )

        select
            v.person_idx,
            case when u(v.k, 'null_key') < 0.002 then null
                 else 'POS-' || lpad(scramble(v.k)::varchar, 13, '0') end as transaction_id,
            'S' || lpad((pick(v.household_idx, 'store', 3) + 3 * (hash(v.city) % 1000))::varchar, 4, '0')
                as store_id,
            case
                when v.is_loyalty_member and u(v.k, 'card_scanned') < 0.75
                    then '63' || lpad(scramble(v.person_idx)::varchar, 13, '0')
                -- cashiers scan the store's own card for customers without one
                when u(v.k, 'default_card') < 0.04
                    then '6399' || lpad((pick(v.household_idx, 'store', 3) + 3 * (hash(v.city) % 1000))::varchar, 11, '0')
            end as loyalty_card_id,
            case when u(v.k, 'cash') < 0.2 then null
                 else left(md5('card' || v.person_idx::varchar || pick(v.k, 'which_card', 2)::varchar), 20)
            end as card_fingerprint,
            v.is_loyalty_member and u(v.k, 'card_scanned') < 0.75 as is_own_card_scanned,
            case when v.country = 'US' then 'USD' else 'GBP' end as currency,
            (case when u(v.k, 'refund') < 0.03 then -1 else 1 end)
                * round(5 + 120 * pow(u(v.k, 'amount'), 2), 2) as total_amount,
            (case when u(v.k, 'refund') < 0.03 then -1 else 1 end)
                * (1 + pick(v.k, 'items', 6)) as item_count,
            ts_between(v.active_from, {active_until.replace('p.', 'v.')},
                       pow(u(v.k, 'visit_at'), {fade.replace('p.', 'v.')})) as transacted_at
        from visits as v
        """),
        ("loyalty_members", """
        create or replace temp table gen_loyalty_members as
        select
            p.person_idx,
            p.person_idx as k,
            case when u(p.person_idx, 'null_key_loyalty') < 0.002 then null
                 else '63' || lpad(scramble(p.person_idx)::varchar, 13, '0') end as loyalty_card_id,
            -- paper enrolment forms: one member in six gives no email and no phone
            case when u(p.person_idx, 'form_only') >= 0.16 and u(p.person_idx, 'loy_email') < 0.85
                 then p.email end as email_clean,
            case when u(p.person_idx, 'form_only') >= 0.16 and p.has_phone then p.phone end
                as phone_clean,
            case when u(p.person_idx, 'loy_nick') < 0.1 then coalesce(p.nickname, p.first_name)
                 else p.first_name end as first_name_raw,
            p.last_name as last_name_raw,
            p.name_suffix,
            p.postal_code,
            p.country,
            p.date_of_birth,
            ts_between(p.active_from, p.active_from + interval 60 day, u(p.person_idx, 'enrolled'))
                as enrolled_at
        from truth.people as p
        where p.is_loyalty_member
        """),
        ("support_tickets", f"""
        create or replace temp table gen_support_tickets as
        select
            p.person_idx,
            p.person_idx * 4 + t.ticket_no as k,
            case when u(p.person_idx * 4 + t.ticket_no, 'null_key') < 0.002 then null
                 else 'TCK-' || lpad(scramble(p.person_idx * 4 + t.ticket_no)::varchar, 13, '0')
            end as ticket_id,
            ['email', 'email', 'chat', 'phone', 'web'][1 + pick(p.person_idx * 4 + t.ticket_no, 'chan', 5)]
                as channel,
            p.email, p.phone, p.has_phone, p.first_name, p.nickname, p.last_name, p.name_suffix,
            p.gender,
            {subjects}[1 + pick(p.person_idx * 4 + t.ticket_no, 'subject', {len(ref.TICKET_SUBJECTS)})]
                as subject,
            ts_between(p.active_from, {active_until}, u(p.person_idx * 4 + t.ticket_no, 'opened'))
                as created_at
        from truth.people as p,
             unnest(range(1 + pick(p.person_idx, 'n_tickets', 3))) as t(ticket_no)
        where p.is_support_requester and p.gave_email_somewhere
        """),
        ("email_activity", f"""
        create or replace temp table gen_email_activity as
        with subscribers as (
            -- the ESP lowercases addresses but keeps whatever typo was signed up with
            select p.*, esp_email(p.email, p.person_idx) as esp_email
            from truth.people as p
            where p.is_subscriber and p.gave_email_somewhere
        ),

        sends as (
            select
                p.person_idx,
                p.esp_email,
                p.person_idx * 32 + s.send_no as k,
                -- weekly campaigns: the send happens on the campaign's date
                date_trunc('week', ts_between(p.active_from, {active_until},
                                              pow(u(p.person_idx * 32 + s.send_no, 'send_at'), {fade})))
                    + interval 10 hour as sent_at,
                u(p.person_idx * 32 + s.send_no, 'bounced') < 0.03 as is_bounced,
                u(p.person_idx * 32 + s.send_no, 'opened')
                    < case when p.will_churn then 0.2 else 0.35 end as is_opened,
                u(p.person_idx * 32 + s.send_no, 'clicked') < 0.25 as is_clicked,
                u(p.person_idx * 32 + s.send_no, 'unsub') < 0.01 as is_unsubscribe,
                u(p.person_idx * 32 + s.send_no, 'spam') < 0.001 as is_spam,
                5 + pick(p.person_idx * 32 + s.send_no, 'delay', 600) as delay_minutes
            from subscribers as p,
                 unnest(range(2 + pick(p.person_idx, 'n_sends', 9))) as s(send_no)
        ),

        activities as (
            select sends.*, a.activity_no, a.activity_type
            from sends
            cross join (values
                (0, 'sent'), (1, 'delivered'), (2, 'bounce'), (3, 'open'), (4, 'click'),
                (5, 'unsubscribe'), (6, 'spam_complaint')) as a(activity_no, activity_type)
        )

        select
            person_idx,
            case when u(k * 8 + activity_no, 'null_key') < 0.001 then null
                 else 'EA-' || lpad(scramble(k * 8 + activity_no)::varchar, 13, '0') end as activity_id,
            esp_email as email,
            'CMP-' || strftime(sent_at, '%Y%W') as campaign_id,
            activity_type,
            sent_at + to_minutes(activity_no * delay_minutes) as occurred_at
        from activities
        where activity_type = 'sent'
           or (activity_type = 'delivered' and not is_bounced)
           or (activity_type = 'bounce' and is_bounced)
           or (activity_type = 'open' and not is_bounced and is_opened)
           or (activity_type = 'click' and not is_bounced and is_opened and is_clicked)
           or (activity_type = 'unsubscribe' and is_unsubscribe)
           or (activity_type = 'spam_complaint' and is_spam)
        """),
        ("consent_events", f"""
        create or replace temp table gen_consent_events as
        with purposes as (
            select p.person_idx, p.email, p.phone, p.has_phone, p.active_from, pu.purpose_no, pu.purpose,
                   p.person_idx * 8 + pu.purpose_no as k
            from truth.people as p
            cross join (values (0, 'email_marketing'), (1, 'sms_marketing'),
                               (2, 'personalized_ads'), (3, 'analytics')) as pu(purpose_no, purpose)
            where p.gives_consent and p.gave_email_somewhere
              and u(p.person_idx * 8 + pu.purpose_no, 'asked') < 0.6
              and (pu.purpose <> 'sms_marketing' or p.has_phone)
        )

        select
            person_idx,
            case when u(k * 2 + change_no, 'null_key') < 0.002 then null
                 else 'CE-' || lpad(scramble(k * 2 + change_no)::varchar, 13, '0') end
                as consent_event_id,
            case when purpose = 'sms_marketing' then 'phone' else 'email' end as identifier_type,
            case when purpose = 'sms_marketing' then coalesce(dirty_phone(phone, k), phone)
                 else esp_email(email, k) end as identifier_value,
            purpose,
            case when change_no = 1 then 'withdrawn'
                 when u(k, 'granted') < 0.7 then 'granted' else 'denied' end as status,
            ['web_banner', 'shop_checkout', 'app_settings', 'preference_center'][1 + pick(k, 'csource', 4)]
                as source,
            ts_between(active_from, {end_ts}, (change_no + u(k * 2 + change_no, 'c_at')) / 2)
                as occurred_at
        from purposes,
             unnest(range(case when u(k, 'withdraws') < 0.15 then 2 else 1 end)) as c(change_no)
        """),
        ("privacy_requests", f"""
        create or replace temp table gen_privacy_requests as
        select
            p.person_idx,
            'PR-' || lpad(scramble(p.person_idx)::varchar, 13, '0') as request_id,
            'email' as identifier_type,
            lower(trim(p.email)) as identifier_value,
            case when u(p.person_idx, 'req') < 0.4 then 'erasure'
                 when u(p.person_idx, 'req') < 0.8 then 'access' else 'do_not_sell' end as request_type,
            ts_between(p.active_from, {end_ts}, 0.5 + 0.5 * u(p.person_idx, 'req_at')) as received_at
        from truth.people as p
        where p.makes_privacy_request
        """),
    ]
    return steps


def _raw_inserts(end: date) -> list[tuple[str, str]]:
    """Fill the contract tables from the temp tables; `_loaded_at` follows the record's time."""
    end_ts = f"timestamp '{end}'"
    loaded = "least({ts} + to_hours(1 + pick({k}, 'load_delay', 20)), " + end_ts + ")"
    return [
        ("crm_accounts", f"""
        insert into raw.crm_accounts by name
        select account_id, account_name, industry, country, created_at,
               created_at + to_days(pick(account_idx, 'acc_upd', 200)) as updated_at,
               {loaded.format(ts="created_at + to_days(pick(account_idx, 'acc_upd', 200))", k='account_idx')} as _loaded_at
        from gen_crm_accounts
        """),
        ("crm_contacts", f"""
        insert into raw.crm_contacts by name
        select
            contact_id, account_id,
            dirty_name(first_name_clean, k, 0.03) as first_name,
            dirty_name(last_name_clean, k + 1, 0.03) as last_name,
            dirty_email(email_clean, k) as email,
            dirty_phone(phone_clean, k) as phone,
            dirty_street(street_address, k) as street_address,
            case when u(k, 'city_case') < 0.1 then upper(city) else city end as city,
            dirty_postal(postal_code, k) as postal_code,
            state,
            case when u(k, 'country_name') < 0.2
                 then case country when 'US' then 'United States' else 'United Kingdom' end
                 else country end as country,
            dirty_dob(dob_clean, country, k) as date_of_birth,
            lead_status,
            created_at,
            created_at + to_days(pick(k, 'upd', 300)) as updated_at,
            {loaded.format(ts="created_at + to_days(pick(k, 'upd', 300))", k='k')} as _loaded_at
        from gen_crm_contacts
        """),
        ("shop_customers", f"""
        insert into raw.shop_customers by name
        select
            customer_id,
            dirty_email(email_clean, k) as email,
            dirty_phone(phone_clean, k) as phone,
            dirty_name(name_variant(first_name_raw, k, 0.02), k, 0.02) as first_name,
            dirty_name(name_variant(last_name_raw, k + 1, 0.02) || suffix_text(name_suffix, k), k + 1, 0.02)
                as last_name,
            accepts_marketing,
            created_at,
            created_at as updated_at,
            {loaded.format(ts='created_at', k='k')} as _loaded_at
        from gen_shop_customers
        union all
        -- an account update: the row lands again later with a new consent checkbox
        select
            customer_id,
            dirty_email(email_clean, k) as email,
            dirty_phone(phone_clean, k + 7) as phone,
            dirty_name(name_variant(first_name_raw, k, 0.02), k, 0.02) as first_name,
            dirty_name(name_variant(last_name_raw, k + 1, 0.02) || suffix_text(name_suffix, k), k + 1, 0.02)
                as last_name,
            not accepts_marketing,
            created_at,
            least(created_at + to_days(1 + pick(k, 'upd', 400)), {end_ts}) as updated_at,
            least(created_at + to_days(2 + pick(k, 'upd', 400)), {end_ts}) as _loaded_at
        from gen_shop_customers
        where u(k, 'updated') < 0.08
        """),
        ("shop_orders", f"""
        insert into raw.shop_orders by name
        with totals as (
            select order_id, sum(abs(quantity) * unit_price) as gross
            from gen_shop_order_items
            group by order_id
        )

        select
            o.order_id,
            o.customer_id,
            dirty_email(o.email_clean, o.k) as email,
            dirty_phone(o.phone_clean, o.k) as phone,
            dirty_street(o.street_address, o.k) as street_address,
            o.city,
            dirty_postal(o.postal_code, o.k) as postal_code,
            o.country,
            case
                when o.status_draw < 0.05 then 'cancelled'
                when o.status_draw < 0.09 then 'refunded'
                when o.ordered_at > {end_ts} - interval 3 day then 'placed'
                when o.ordered_at > {end_ts} - interval 7 day then 'shipped'
                else 'delivered'
            end as order_status,
            o.currency,
            round(coalesce(t.gross, 0) * (1 - o.discount_rate), 2) as total_amount,
            round(coalesce(t.gross, 0) * o.discount_rate, 2) as discount_amount,
            o.ordered_at,
            o.ordered_at + to_hours(pick(o.k, 'order_upd', 96)) as updated_at,
            {loaded.format(ts="o.ordered_at + to_hours(pick(o.k, 'order_upd', 96))", k='o.k')} as _loaded_at
        from gen_shop_orders as o
        left join totals as t on t.order_id = o.order_id
        """),
        ("shop_order_items", f"""
        insert into raw.shop_order_items by name
        select
            i.order_id, i.line_number, i.sku, i.product_name, i.category, i.quantity, i.unit_price,
            {loaded.format(ts='o.ordered_at', k='i.line_k')} as _loaded_at
        from gen_shop_order_items as i
        inner join gen_shop_orders as o on o.k = i.line_k // 8
        """),
        ("pos_transactions", f"""
        insert into raw.pos_transactions by name
        select
            transaction_id, store_id, loyalty_card_id, card_fingerprint, currency, total_amount,
            item_count, transacted_at,
            least(date_trunc('day', transacted_at) + interval 1 day + interval 2 hour, {end_ts})
                as _loaded_at
        from gen_pos_transactions
        """),
        ("loyalty_members", f"""
        insert into raw.loyalty_members by name
        select
            loyalty_card_id,
            dirty_email(email_clean, k) as email,
            dirty_phone(phone_clean, k) as phone,
            dirty_name(name_variant(first_name_raw, k, 0.05), k, 0.05) as first_name,
            dirty_name(name_variant(last_name_raw, k + 1, 0.05) || suffix_text(name_suffix, k), k + 1, 0.05)
                as last_name,
            dirty_postal(postal_code, k) as postal_code,
            case when u(k, 'loy_dob') < 0.9 then dirty_dob(date_of_birth, country, k) end
                as date_of_birth,
            enrolled_at,
            enrolled_at + to_days(pick(k, 'loy_upd', 100)) as updated_at,
            {loaded.format(ts="enrolled_at + to_days(pick(k, 'loy_upd', 100))", k='k')} as _loaded_at
        from gen_loyalty_members
        """),
        ("support_tickets", f"""
        insert into raw.support_tickets by name
        select
            ticket_id,
            case when channel <> 'phone' then dirty_email(email, k) end as requester_email,
            case when channel in ('phone', 'chat') and has_phone then dirty_phone(phone, k) end
                as requester_phone,
            case
                when u(k, 'req_name') < 0.15 then dirty_name(coalesce(nickname, first_name), k, 0.0)
                -- surname first, as some help desks file it: "Smith, John Jr."
                when u(k, 'req_order') < 0.05 then dirty_name(last_name || ', ' || name_variant(
                    case when u(k, 'nick') < 0.15 then coalesce(nickname, first_name) else first_name end,
                    k, 0.03) || suffix_text(name_suffix, k), k, 0.03)
                else dirty_name(
                    -- a title, now and then: "Dr. Jane Smith"
                    case when u(k, 'req_title') < 0.04
                         then case when gender = 'F' then ['Ms. ', 'Mrs. ', 'Dr. ']
                                   else ['Mr. ', 'Mr ', 'Dr. '] end[1 + pick(k, 'req_title_w', 3)]
                         else '' end
                    || name_variant(
                        case when u(k, 'nick') < 0.15 then coalesce(nickname, first_name) else first_name end,
                        k, 0.03) || ' ' || last_name || suffix_text(name_suffix, k), k, 0.03)
            end as requester_name,
            channel,
            subject,
            case when created_at > {end_ts} - interval 3 day then ['new', 'open', 'pending'][1 + pick(k, 'st', 3)]
                 else ['solved', 'closed'][1 + pick(k, 'st', 2)] end as status,
            ['low', 'normal', 'normal', 'high', 'urgent'][1 + pick(k, 'prio', 5)] as priority,
            created_at,
            case when created_at <= {end_ts} - interval 3 day
                 then created_at + to_hours(1 + pick(k, 'resolve', 72)) end as resolved_at,
            {loaded.format(ts='created_at', k='k')} as _loaded_at
        from gen_support_tickets
        """),
        ("email_activity", f"""
        insert into raw.email_activity by name
        select activity_id, email, campaign_id, activity_type, occurred_at,
               least(occurred_at + interval 1 day, {end_ts}) as _loaded_at
        from gen_email_activity
        where occurred_at < {end_ts}
        """),
        ("consent_events", f"""
        insert into raw.consent_events by name
        select consent_event_id, identifier_type, identifier_value, purpose, status, source,
               occurred_at, least(occurred_at + interval 1 hour, {end_ts}) as _loaded_at
        from gen_consent_events
        """),
        ("privacy_requests", f"""
        insert into raw.privacy_requests by name
        select request_id, identifier_type, identifier_value, request_type, received_at,
               least(received_at + interval 1 hour, {end_ts}) as _loaded_at
        from gen_privacy_requests
        """),
    ]


def _redeliveries() -> list[tuple[str, str]]:
    """Loaders re-send rows: the same content lands again with a later `_loaded_at`."""
    steps = []
    for table, key in RAW_TABLES_WITH_KEYS.items():
        rate = 0.01 if table in ("tracking_events", "email_activity") else 0.02
        steps.append((f"redeliver_{table}", f"""
            insert into raw.{table}
            select * replace (_loaded_at + interval 1 day as _loaded_at)
            from raw.{table}
            where {key} is not null and u(hash({key}), 'redeliver_{table}') < {rate}
        """))
    return steps


TRUTH_SQL = """
-- is_linkable: the record carries evidence that ties it to its person (an identifier or
-- profile the person also leaves elsewhere). A cash sale without a loyalty card is not.
create or replace table truth.source_records as
select source, source_record_id, person_idx as person_id, is_linkable
from (
    select 'crm_contacts' as source, contact_id as source_record_id, person_idx, true as is_linkable
    from gen_crm_contacts
    union all select 'shop_customers', customer_id, person_idx, true from gen_shop_customers
    union all select 'shop_orders', order_id, person_idx, true from gen_shop_orders
    -- a till sale is tied to its person by their own loyalty card, or by a payment card
    -- that also appears in a sale where their loyalty card was scanned
    union all select 'pos_transactions', pos.transaction_id, pos.person_idx,
        pos.is_own_card_scanned or linked_cards.card_fingerprint is not null
    from gen_pos_transactions as pos
    left join (select distinct person_idx, card_fingerprint from gen_pos_transactions
               where is_own_card_scanned and card_fingerprint is not null) as linked_cards
        on linked_cards.person_idx = pos.person_idx
       and linked_cards.card_fingerprint = pos.card_fingerprint
    union all select 'loyalty_members', loyalty_card_id, person_idx, true from gen_loyalty_members
    union all select 'support_tickets', ticket_id, person_idx, true from gen_support_tickets
    union all select 'email_activity', activity_id, person_idx, true from gen_email_activity
    union all select 'consent_events', consent_event_id, person_idx, true from gen_consent_events
    union all select 'privacy_requests', request_id, person_idx, true from gen_privacy_requests
)
where source_record_id is not null;

-- a device is linkable when an event that names its person actually landed: a login
-- planned after the generator's end date never happened
create or replace table truth.anonymous_ids as
with landed_identity as (
    select anonymous_id
    from raw.tracking_events
    where user_id is not null or traits is not null
    group by anonymous_id
)

select
    gen_devices.anonymous_id,
    min(gen_devices.person_idx) as person_id,
    count(distinct gen_devices.person_idx) > 1 as is_shared_device,
    count(distinct gen_devices.person_idx) as people_on_device,
    bool_or(gen_devices.identifies) and bool_or(landed_identity.anonymous_id is not null)
        as is_linkable
from gen_devices
left join landed_identity on landed_identity.anonymous_id = gen_devices.anonymous_id
group by gen_devices.anonymous_id;
"""


def generate(
    con: duckdb.DuckDBPyConnection,
    people: int,
    seed: int = 42,
    start: date = date(2023, 1, 1),
    end: date = date(2026, 11, 1),
    progress=None,
) -> GenerationReport:
    """Replace the raw tables' contents and the truth schema with a generated dataset."""
    if people < 1:
        raise ValueError("--people must be at least 1")
    if people > 50_000_000:
        raise ValueError("--people above 50,000,000 is not supported (ids would collide)")
    report = GenerationReport(people=people, seed=seed)
    t0 = time.perf_counter()

    def step(name: str, sql: str) -> None:
        t = time.perf_counter()
        con.execute(sql)
        report.step_seconds[name] = round(time.perf_counter() - t, 3)
        if progress:
            progress(name, report.step_seconds[name])

    con.execute("begin transaction")
    try:
        report.dropped_schemas = _drop_built_schemas(con)
        _generate_all(con, people, seed, start, end, step)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    for table in RAW_TABLES_WITH_KEYS:
        report.raw_rows[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    for table in ("people", "source_records", "anonymous_ids"):
        report.truth_rows[table] = con.execute(f"select count(*) from truth.{table}").fetchone()[0]
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


# Schemas the generator owns or that hold history rather than data built from raw.
KEPT_SCHEMAS = ("raw", "truth", "main", "audit", "information_schema", "pg_catalog")


def _drop_built_schemas(con) -> list[str]:
    """Drop what dbt built from the raw data being replaced.

    Incremental models keep rows between runs; built over a different dataset they would
    mix old and new people, so the next `dbt build` must start from nothing.
    """
    schemas = [row[0] for row in con.execute(
        "select schema_name from information_schema.schemata "
        "where catalog_name = current_database() order by schema_name").fetchall()
        if row[0] not in KEPT_SCHEMAS]
    for schema in schemas:
        con.execute(f'drop schema "{schema}" cascade')
    return schemas


def _generate_all(con, people, seed, start, end, step) -> None:
    """All generation steps; the caller runs them in one transaction."""
    con.execute("create schema if not exists truth")
    for macro in _macros(seed):
        con.execute(macro)
    _reference_tables(con)
    for table in RAW_TABLES_WITH_KEYS:
        con.execute(f"delete from raw.{table}")
    step("people", _people_sql(people, start, end))
    for name, sql in _sources_sql(people, end):
        step(f"gen_{name}", sql)
    for name, sql in _raw_inserts(end):
        step(f"raw_{name}", sql)
    for name, sql in _redeliveries():
        step(name, sql)
    step("truth", TRUTH_SQL)
    con.execute(
        """
        create or replace table truth.generation as
        select ?::integer as people, ?::integer as seed, ?::date as start_date,
               ?::date as end_date, current_timestamp as generated_at,
               'cdp.generate v1' as generator
        """,
        [people, seed, start, end],
    )
    # free the temp tables before the transaction commits
    for name in [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where temporary").fetchall()]:
        con.execute(f"drop table if exists temp.{name}")
