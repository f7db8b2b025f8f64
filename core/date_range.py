"""A rule shared by the filter forms that take a date range."""


class DateRangeMixin:
    """For filter forms with a date range: refuses an end date before the start date.
    `date_range_fields` names the (start, end) fields."""

    date_range_fields = ("date_from", "date_to")

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.date_range_fields
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and start > end:
            self.add_error(end_name, "The end date must be the same as or after the start date")
        return cleaned
