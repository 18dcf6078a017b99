{#
    Every raw delivery with its rank among the deliveries of the same record and the reason
    it does not reach staging, if any (read by the full build of the staging model and by
    stg_quality__rejected_rows).
#}
{{ cdp.ranked_deliveries(ref('base_support__ticket_deliveries'), 'support_ticket_id') }}
