"""Query lookups that keep impossible values from reaching the database."""

from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``id__in=[…]``: ids that the column cannot hold simply match no row.

    Django guards ``exact``, ``lt`` and ``gt`` on integer fields against
    overflow (ticket #27397) but not ``in``: a posted id such as
    9223372036854775808 in a multiple choice list (the strategies of a
    project) made SQLite raise ``OverflowError``, a 500 instead of the form's
    Thai error. Registered on ``IntegerField`` in :class:`core.apps.CoreConfig`.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
