"""Document templates (social report, topic sheets, area profiles) and their PDF/HTML renderer.

Empty until the reports issue: the package marks its place in the architecture.
"""
