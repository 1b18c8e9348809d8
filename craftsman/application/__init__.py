"""The public side of the programme: the online application (在线申报).

Applicants register, fill the application in five steps (drafts saved at every
step), upload proof to private storage, read the eligibility report, sign the
pledge and submit to the recommending unit of their choice; then follow the
status and correct what a unit returns.
"""
