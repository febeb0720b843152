"""Header text of each export kind mapped to canonical snake_case column names."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Canonical column names.  Keys are header texts, lower-cased with runs of white space collapsed.
# Headers not listed get :func:`snake_case` of their text.
# --------------------------------------------------------------------------------------------

_GA4_DIMENSIONS: dict[str, str] = {
    "page path and screen class": "page_path",
    "page path": "page_path",
    "page title and screen class": "page_title",
    "page title and screen name": "page_title",
    "page title": "page_title",
    "landing page": "landing_page",
    "landing page + query string": "landing_page",
    "date": "date",
    "town/city": "city",
    "city": "city",
    "session source / medium": "source_medium",
    "session campaign": "campaign",
    "session primary channel group (default channel group)": "channel_group",
    "session default channel group": "channel_group",
    "default channel group": "channel_group",
    "primary channel group (default channel group)": "channel_group",
    "first user primary channel group (default channel group)": "first_user_channel_group",
    "first user default channel group": "first_user_channel_group",
    "event name": "event_name",
    "session source": "source",
    "source": "source",
    "browser": "browser",
    "nth day": "date",
    "nth week": "nth_week",
    "nth month": "nth_month",
    "country": "country",
    "region": "region",
    "device category": "device_category",
    "language": "language",
    "gender": "gender",
    "age": "age",
    "operating system": "operating_system",
    "platform": "platform",
    "session medium": "medium",
    "medium": "medium",
    "first user source / medium": "first_user_source_medium",
    "hour": "hour",
    "month": "month",
    "week": "week",
    "year": "year",
    "date + hour (yyyymmddhh)": "date_hour",
}


_GA4_METRICS: dict[str, str] = {
    "views": "views",
    "users": "active_users",
    "active users": "active_users",
    "total users": "total_users",
    "new users": "new_users",
    "returning users": "returning_users",
    "sessions": "sessions",
    "engaged sessions": "engaged_sessions",
    "engagement rate": "engagement_rate",
    "bounce rate": "bounce_rate",
    "views per user": "views_per_active_user",
    "views per active user": "views_per_active_user",
    "average engagement time": "avg_engagement_time_per_active_user",
    "average engagement time per active user": "avg_engagement_time_per_active_user",
    "average engagement time per session": "avg_engagement_time_per_session",
    "average session duration": "avg_session_duration",
    "event count": "event_count",
    "events per session": "events_per_session",
    "event count per user": "event_count_per_active_user",
    "event count per active user": "event_count_per_active_user",
    "conversions": "key_events",
    "key events": "key_events",
    "total revenue": "total_revenue",
    "session conversion rate": "session_key_event_rate",
    "session key event rate": "session_key_event_rate",
    "user conversion rate": "user_key_event_rate",
    "user key event rate": "user_key_event_rate",
    "engaged sessions per user": "engaged_sessions_per_active_user",
    "engaged sessions per active user": "engaged_sessions_per_active_user",
    "views per session": "views_per_session",
    "sessions per user": "sessions_per_active_user",
    "sessions per active user": "sessions_per_active_user",
    "entrances": "entrances",
    "exits": "exits",
    "user engagement": "user_engagement",
}


_GA4_COUNTS = frozenset(
    {
        "views",
        "active_users",
        "total_users",
        "new_users",
        "returning_users",
        "sessions",
        "engaged_sessions",
        "event_count",
        "key_events",
        "entrances",
        "exits",
    }
)


_YOUTUBE: dict[str, str] = {
    "content": "video_id",
    "video": "video_id",
    "video title": "title",
    "video publish time": "published",
    "duration": "duration_s",
    "date": "date",
    "views": "views",
    "watch time (hours)": "watch_time_hours",
    "subscribers": "subscribers",
    "impressions": "impressions",
    "thumbnail impressions": "impressions",
    "impressions click-through rate (%)": "impressions_ctr_pct",
    "thumbnail click-through rate (%)": "impressions_ctr_pct",
    "unique viewers": "unique_viewers",
    "average views per viewer": "avg_views_per_viewer",
    "average view duration": "avg_view_duration_s",
    "average percentage viewed (%)": "avg_pct_viewed",
    "engaged views": "engaged_views",
}


_YT_METRIC_KEYS = frozenset({"views", "watch time (hours)", "average view duration", "subscribers"})


# Headers only YouTube Studio writes (GA4 has Views and Impressions too).
_YT_ONLY_KEYS = frozenset(
    {
        "watch time (hours)",
        "average view duration",
        "subscribers",
        "impressions click-through rate (%)",
        "thumbnail impressions",
        "thumbnail click-through rate (%)",
    }
)


_YOUTUBE_COUNTS = frozenset(
    {
        "duration_s",
        "views",
        "subscribers",
        "impressions",
        "unique_viewers",
        "engaged_views",
        "new_viewers",
        "returning_viewers",
        "casual_viewers",
        "regular_viewers",
        "unique_reach",
        "subscribers_gained",
        "subscribers_lost",
        "likes",
        "dislikes",
        "shares",
        "comments_added",
        "post_subscribers",
        "shown_in_feed",
    }
)


_META_POSTS: dict[str, str] = {
    "post id": "post_id",
    "page id": "page_id",
    "page name": "page_name",
    "title": "title",
    "description": "description",
    "duration (sec)": "duration_s",
    "publish time": "publish_time",
    "post type": "post_type",
    "permalink": "permalink",
    "views": "views",
    "impressions": "views",
    "reach": "reach",
    "reactions, comments and shares": "reactions_comments_shares",
    "reactions": "reactions",
    "comments": "comments",
    "shares": "shares",
    "total clicks": "total_clicks",
    "link clicks": "link_clicks",
    "other clicks": "other_clicks",
    "seconds viewed": "seconds_viewed",
    "average seconds viewed": "avg_seconds_viewed",
    "3-second video views": "video_views_3s",
    "1-minute video views": "video_views_1min",
    "date": "date_label",
}


_META_POSTS_STR = frozenset(
    {
        "post_id",
        "page_id",
        "page_name",
        "title",
        "description",
        "post_type",
        "permalink",
        "caption_type",
        "is_crosspost",
        "is_share",
        "languages",
        "custom_labels",
        "funded_content_status",
        "data_comment",
        "date_label",
    }
)


_FEEDEX: dict[str, str] = {
    "creation date": "created_at",
    "path or service name": "path",
    "feedback": "feedback",
    "type": "type",
}


_FEEDBACK_PAGE: dict[str, str] = {
    "submitted": "submitted_at",
    "page url": "page_path",
    "was this page helpful?": "helpful",
    "comment": "comment",
}


CANONICAL_COLUMNS: dict[str, dict[str, str]] = {
    "ga4_report": {**_GA4_DIMENSIONS, **_GA4_METRICS},
    "ga4_snapshot": {**_GA4_DIMENSIONS, **_GA4_METRICS},
    "youtube_table": dict(_YOUTUBE),
    "youtube_chart": dict(_YOUTUBE),
    "youtube_totals": dict(_YOUTUBE),
    "meta_posts": dict(_META_POSTS),
    "meta_daily": {"date": "date", "primary": "value"},
    "meta_ads": {},
    "forms_microsoft": {"start time": "started_at", "completion time": "completed_at"},
    "forms_google": {"timestamp": "completed_at"},
    "feedback_feedex": dict(_FEEDEX),
    "feedback_page": dict(_FEEDBACK_PAGE),
    "partner_indicators": {},
    "hv_recall": {},
}
"""Per kind: header text (lower-cased, white space collapsed) -> canonical column name.

Headers that are not listed become :func:`snake_case` of their text, except the question columns
of forms, which keep their (stripped) header text.
"""
