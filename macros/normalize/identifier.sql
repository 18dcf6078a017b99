{#
    An identifier of a declared type (consent events, privacy requests: `identifier_type`
    email or phone) -> its match key, normalized as that type is everywhere else; null for
    other types. `digits`: a column holding cdp.phone_digits(value), computed once.
#}
{% macro normalize_typed_identifier(type, value, digits) -%}
    case
        when {{ type }} = 'email' then {{ cdp.normalize_email(value) }}
        when {{ type }} = 'phone' then {{ cdp.normalize_phone(value, digits=digits) }}
    end
{%- endmacro %}

{# Why such an identifier cannot be used: the email or phone reason of its type. #}
{% macro typed_identifier_invalid_reason(type, value, normalized, digits) -%}
    case
        when {{ type }} = 'email' then {{ cdp.email_invalid_reason(normalized) }}
        when {{ type }} = 'phone' then {{ cdp.phone_invalid_reason(value, normalized, digits=digits) }}
    end
{%- endmacro %}
