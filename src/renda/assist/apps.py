from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "renda.assist"
    label = "assist"
    verbose_name = "智能辅助（分类分办与相似检索）"
