"""The demo year of deputies' work: the liaison stations and their reception days, then double
contact (双联系), then the report-backs (述职). The archives follow from these and from what the
other modules recorded."""

from . import demo_contacts, demo_reportback, demo_stations


def build(ctx) -> None:
    demo_stations.build(ctx)
    demo_contacts.build(ctx)
    demo_reportback.build(ctx)
