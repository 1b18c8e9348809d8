"""Publications plugin: policy, notices, open calls, publicity lists with objections, results.

It knows nothing of craftsmen: a publicity list is a generic 公示 with rows, so
that any of the bureau's programmes can use it.
"""
