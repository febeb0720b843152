"""The processed tables.

Their columns, which are dated, which carry asset ids, and the BigQuery table names.
"""

from __future__ import annotations

from reach.ingest.recall import RECALL_COUNTS

# Table name -> (columns kept, key columns for de-duplication; None = whole row).
TABLE_SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "web_pages": (
        (
            "month",
            "page_path",
            "views",
            "active_users",
            "total_users",
            "sessions",
            "engagement_rate",
            "avg_engagement_time_per_active_user",
            "event_count",
        ),
        ("month", "page_path"),
    ),
    "web_daily": (
        ("month", "date", "page_path", "views", "active_users", "event_count"),
        ("date", "page_path"),
    ),
    "web_city": (("month", "city", "active_users", "new_users", "engaged_sessions"), ("month", "city")),
    "web_acquisition": (
        (
            "month",
            "source_medium",
            "campaign",
            "sessions",
            "engaged_sessions",
            "engagement_rate",
            "event_count",
        ),
        ("month", "source_medium", "campaign"),
    ),
    "web_users": (("month", "asset_id", "users"), ("month", "asset_id")),
    "video": (
        (
            "month",
            "video_id",
            "title",
            "published",
            "duration_s",
            "views",
            "watch_time_hours",
            "subscribers",
            "impressions",
            "impressions_ctr_pct",
            "unique_viewers",
            "avg_views_per_viewer",
            "avg_view_duration_s",
            "avg_pct_viewed",
        ),
        ("month", "video_id"),
    ),
    "video_totals": (
        (
            "month",
            "views",
            "watch_time_hours",
            "subscribers",
            "impressions",
            "unique_viewers",
            "avg_views_per_viewer",
        ),
        ("month",),
    ),
    "video_daily": (("month", "date", "video_id", "views"), ("date", "video_id")),
    "channel_daily": (("month", "date", "views"), ("date",)),
    "social_posts": (
        (
            "month",
            "post_id",
            "publish_time",
            "post_type",
            "title",
            "views",
            "reach",
            "reactions",
            "comments",
            "shares",
            "total_clicks",
            "link_clicks",
            "video_views_3s",
        ),
        ("post_id",),
    ),
    "social_paid": (
        (
            "month",
            "level",
            "name",
            "reach",
            "impressions",
            "views",
            "frequency",
            "amount_spent",
            "currency",
            "link_clicks",
        ),
        ("month", "level", "name"),
    ),  # fmt: skip
    "feedback": (
        (
            "month",
            "completed_at",
            "respondent_type",
            "district",
            "where_seen",
            "helpful",
            "key_messages",
            "intends_change",
            "comment",
            "recruited_via",
        ),
        None,
    ),
    "page_feedback": (("month", "submitted_at", "page_path", "helpful", "comment"), None),
    "partner_indicators": (
        ("month", "indicator", "area_code", "area_name", "numerator", "denominator"),
        ("month", "indicator", "area_code"),
    ),
    "hv_recall": (
        ("month", "district_code", "district", *RECALL_COUNTS, "suppressed"),
        ("month", "district_code"),
    ),
}


# Which identifier each table is matched to the registry on.
ASSET_KEYS = {
    "web_pages": ("page_path", "path"),
    "web_daily": ("page_path", "path"),
    "web_acquisition": ("campaign", "campaign"),
    "video": ("video_id", "video"),
    "video_daily": ("video_id", "video"),
    "social_posts": ("post_id", "post"),
    "page_feedback": ("page_path", "path"),
}


# Tables whose rows carry a date: their month comes from the date, not the file's period.
DATED = {
    "web_daily": "date",
    "video_daily": "date",
    "channel_daily": "date",
    "feedback": "completed_at",
    "page_feedback": "submitted_at",
    "partner_indicators": "month",
    "hv_recall": "month",
}


NOT_AN_ASSET = {
    "",
    "(not set)",
    "(other)",
    "(direct)",
    "(organic)",
    "(referral)",
    "(none)",
    "(data not available)",
}


BIGQUERY = "ga4_bigquery"


BIGQUERY_TABLES = ("web_daily", "web_pages", "web_city", "web_users")
