"""Who may be given a company's to-do or assignment: Odoo mails it and makes them a follower,
so only someone who can open the record and act on it."""

JXC_USER = "jxc_addon.group_jxc_user"
JXC_MANAGER = "jxc_addon.group_jxc_manager"


def works_for(user, company, groups=(JXC_USER,)):
    """Whether ``user`` is an active internal (not portal) user of ``company`` in one of
    ``groups`` (xml ids)."""
    user = user.sudo()
    return bool(user) and user.active and user._is_internal() and company in user.company_ids \
        and any(user.has_group(group) for group in groups)


def company_todo_user(env, company, *candidates):
    """Who gets a to-do of ``company`` (a stock-warning digest, a drift alert, a vendor at
    risk): the first of ``candidates`` (users, possibly empty) who may act on it, else the
    company's first inventory control manager who may (also one through a group implying it);
    no user when none may."""
    for user in candidates:
        if works_for(user, company):
            return user
    managers = env.ref(JXC_MANAGER).sudo().all_user_ids.sorted("id")
    return next((user for user in managers if works_for(user, company)), env["res.users"])
