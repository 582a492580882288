"""The Django project: settings, URLs and one app per planning domain."""
