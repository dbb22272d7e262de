"""Who may be given a company's to-do or assignment: Odoo mails it and makes them a follower,
so only someone who can open the record and act on it."""

JXC_USER = "jxc_addon.group_jxc_user"


def works_for(user, company, groups=(JXC_USER,)):
    """Whether ``user`` is an active internal (not portal) user of ``company`` in one of
    ``groups`` (xml ids)."""
    user = user.sudo()
    return bool(user) and user.active and user._is_internal() and company in user.company_ids \
        and any(user.has_group(group) for group in groups)
