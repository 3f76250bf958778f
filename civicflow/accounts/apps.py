from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicflow.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
