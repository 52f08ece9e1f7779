"""Follow-up rules, one module per thing they change:

- ``scores``: exact scores, bands and the band of a score;
- ``frameworks``: frameworks, dimensions, indicators; ``framework_xlsx``: their workbook form;
- ``assessments``: official unit and district results;
- ``tasks``: who may do what with a task, manual tasks and the workflow;
- ``plans``: tasks made in bulk from an event's plan or an assessment's weak indicators;
- ``evidence``: files and links attached to a task.

Services take models and values and the acting user explicitly; they flush, never commit, and
write the audit entries of what they change.
"""
