"""Exchange with other data models.

- ``ftm``: FollowTheMoney entities (the format OpenSanctions publishes): companies, ownership
  and restricted-party listings out of a world and into one.
"""
