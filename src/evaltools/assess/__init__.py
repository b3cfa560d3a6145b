"""Assessment of a review: targets, trends, commune ranking, legends, scorecards, comparison.

Every function here is a pure function of DataFrames; :mod:`.draft` turns the
results into sentences, and :func:`.review.assess_review` runs them all for one review.
"""
