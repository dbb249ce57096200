"""Tolerant reading: documented fields required, the rest optional, unknown fields kept."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codaiq_desktop.api import errors, models


def test_website_keeps_unknown_fields_and_defaults_missing_ones() -> None:
    data = {"id": "w1", "metadata": {"buildStatus": "ready", "customKey": [1, 2]}, "brandNewField": {"x": 1}}
    website = models.Website.from_json(data, project_id="p1")
    assert website.project_id == "p1"
    assert (website.name, website.domain, website.created_at, website.updated_at) == (None, None, None, None)
    assert website.raw["brandNewField"] == {"x": 1}
    assert website.metadata["customKey"] == [1, 2]
    assert (website.build_progress, website.build_step, website.seo_title, website.published_at) == (None,) * 4


def test_website_properties_read_metadata() -> None:
    website = models.Website.from_json(
        {
            "id": "w1",
            "projectId": "p1",
            "createdAt": "2026-04-21T10:00:00.000Z",
            "metadata": {
                "buildStatus": "building",
                "buildProgress": "140",
                "buildStep": "Styling",
                "buildError": None,
                "seoTitle": "Bakery",
                "seoDescription": "Fresh bread",
                "publishedAt": "2026-04-21T11:00:00+01:00",
            },
        }
    )
    assert website.build_status == models.BuildStatus.BUILDING
    assert website.build_progress == 100  # clamped
    assert website.created_at == datetime(2026, 4, 21, 10, tzinfo=UTC)
    assert website.published_at == datetime(2026, 4, 21, 10, tzinfo=UTC)
    assert (website.seo_title, website.seo_description, website.build_error) == ("Bakery", "Fresh bread", None)


def test_wrong_types_read_as_missing_not_as_crashes() -> None:
    website = models.Website.from_json(
        {"id": "w1", "name": ["not", "text"], "createdAt": "yesterday", "metadata": "oops"}
    )
    assert website.name is None and website.created_at is None and website.metadata == {}
    assert website.build_status is None
    assert website.raw["createdAt"] == "yesterday"


def test_unknown_build_status_passes_through() -> None:
    website = models.Website.from_json({"id": "w1", "metadata": {"buildStatus": "deploying"}})
    assert website.build_status == "deploying"
    assert not models.is_terminal(website.build_status)
    assert models.is_terminal("ready") and models.BuildStatus.is_terminal("failed")
    assert not models.is_terminal(None)


def test_models_are_frozen_and_raw_stays_out_of_repr() -> None:
    website = models.Website.from_json({"id": "w1", "secretish": "x" * 50})
    with pytest.raises(dataclasses.FrozenInstanceError):
        website.name = "changed"  # type: ignore[misc]
    assert "secretish" not in repr(website)


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (models.Website, ["not", "an", "object"]),
        (models.GenerateResult, {"projectId": "p", "websiteId": "w"}),
        (models.GenerateResult, {"websiteId": "w", "status": "queued"}),
        (models.Project, ["not", "an", "object"]),
    ],
)
def test_missing_required_fields_raise_invalid_response(cls: type, data: object) -> None:
    with pytest.raises(errors.InvalidResponseError):
        cls.from_json(data)


def test_ids_are_not_required_the_docs_never_promise_them() -> None:
    """The documented website is name, domain and metadata.buildStatus: no id."""
    website = models.Website.from_json(
        {"name": "Crumb", "domain": "crumb.example", "metadata": {"buildStatus": "ready"}}
    )
    assert website.id is None and website.build_status == "ready" and website.domain == "crumb.example"
    assert models.Website.from_json({"websiteId": "w9", "metadata": {}}).id == "w9"
    assert models.Website.from_json({"metadata": {}}, website_id="w7").id == "w7"
    assert models.Website.from_json({"id": "w1", "websiteId": "w2"}, website_id="w3").id == "w1"
    project = models.Project.from_json({"name": "no id", "websites": [{"name": "a"}]})
    assert project.id is None and [w.id for w in project.websites] == [None]


def test_analytics_with_only_total_pageviews_leaves_the_rest_unknown_not_zero() -> None:
    result = models.Analytics.from_json({"totalPageviews": 17}, website_id="w1", range="7d")
    assert result.total_pageviews == 17
    assert (result.unique_visitors, result.top_pages, result.referrers, result.timeseries) == (None, None, None, None)
    sent_empty = models.Analytics.from_json(
        {"totalPageviews": 0, "uniqueVisitors": 0, "topPages": [], "referrers": [], "timeseries": []},
        website_id="w1",
        range="7d",
    )
    assert (sent_empty.unique_visitors, sent_empty.top_pages, sent_empty.referrers, sent_empty.timeseries) == (
        0,
        (),
        (),
        (),
    )


def test_generate_result_keeps_raw_and_unknown_status() -> None:
    result = models.GenerateResult.from_json({"projectId": "p", "websiteId": "w", "status": "warming", "eta": 30})
    assert result.status == "warming" and result.raw["eta"] == 30


def test_analytics_tolerates_missing_and_malformed_parts() -> None:
    result = models.Analytics.from_json(
        {
            "totalPageviews": "42",
            "topPages": [{"path": "/", "pageviews": 3}, {"pageviews": 9}, "junk"],
            "referrers": None,
            "timeseries": [{"date": "not a date"}, {"date": "2026-04-01T00:00:00Z", "pageviews": 2}],
        },
        website_id="w1",
        range="24h",
    )
    assert result.total_pageviews == 42 and result.unique_visitors is None
    assert result.top_pages == (models.PageStat("/", 3),)
    assert result.referrers is None  # null: not provided, which is not "no referrers"
    assert result.timeseries == (models.TimePoint(datetime(2026, 4, 1, tzinfo=UTC), 2, None),)
    assert (result.website_id, result.range, result.end) == ("w1", "24h", None)
    with pytest.raises(errors.InvalidResponseError, match="totalPageviews"):
        models.Analytics.from_json({"totalPageviews": None}, website_id="w1", range="7d")


def test_lead_receipt_has_no_required_fields() -> None:
    receipt = models.LeadReceipt.from_json(None, website_id="w1")
    assert receipt == models.LeadReceipt(None, "w1", None, {})


def test_build_update_equality_ignores_the_website_object() -> None:
    one = models.Website.from_json(
        {"id": "w1", "updatedAt": "2026-01-01T00:00:00Z", "metadata": {"buildStatus": "building"}}
    )
    two = models.Website.from_json(
        {"id": "w1", "updatedAt": "2026-01-01T00:00:05Z", "metadata": {"buildStatus": "building"}}
    )
    assert models.BuildUpdate.from_website(one) == models.BuildUpdate.from_website(two)


def test_rate_limit_info_reads_each_reset_form() -> None:
    now = datetime(2026, 4, 21, 10, tzinfo=UTC)
    read = lambda reset: models.RateLimitInfo.from_headers({"x-ratelimit-reset": reset}, now=now).reset_at
    assert read("60") == now + timedelta(seconds=60)
    assert read("1893456000") == datetime(2030, 1, 1, tzinfo=UTC)
    assert read("1893456000000") == datetime(2030, 1, 1, tzinfo=UTC)
    assert read("2030-01-01T00:00:00Z") == datetime(2030, 1, 1, tzinfo=UTC)
    assert read("Tue, 01 Jan 2030 00:00:00 GMT") == datetime(2030, 1, 1, tzinfo=UTC)
    assert read("soon") is None
    assert models.RateLimitInfo.from_headers({}) is None
    info = models.RateLimitInfo.from_headers({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "bad"})
    assert info == models.RateLimitInfo(100, None, None)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_json_either_reads_or_raises_invalid_response(data: object) -> None:
    """No JSON value, however odd, makes a reader crash with anything but InvalidResponseError."""
    for read in (
        lambda: models.Website.from_json(data),
        lambda: models.Project.from_json(data),
        lambda: models.GenerateResult.from_json(data),
        lambda: models.Analytics.from_json(data, website_id="w", range="7d"),
        lambda: models.LeadReceipt.from_json(data),
        lambda: models.Website.from_json({"id": "w", "metadata": data, "createdAt": data}).build_progress,
    ):
        with contextlib.suppress(errors.InvalidResponseError):
            read()
