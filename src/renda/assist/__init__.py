"""Assistance for staff and deputies: category routing of texts and similar-text search.

- `renda.assist.routing`: proposes the category of a suggestion or a citizen message, with a
  confidence, learned from past cases (staff accept or correct; corrections feed the next
  training).
- `renda.assist.similarity`: finds the texts most similar to a draft (earlier suggestions and
  their replies, duplicates to merge).

Both are plain Python (scikit-learn, jieba) and need no database; the Django app adds the
`renda assist` management command.
"""
