"""Jobs: long runs in the background with progress the page can poll, through django-tasks."""
