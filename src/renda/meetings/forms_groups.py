"""Forms of group deliberation: a group, its members, a speech."""

from django import forms

from .groups import SPEECH_MAX


def _choices(items, empty="请选择"):
    return [("", empty)] + list(items)


class GroupForm(forms.Form):
    name = forms.CharField(label="组名", max_length=20, error_messages={"required": "请填写组名。"})
    convener = forms.ChoiceField(label="召集人", required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].choices = _choices(((str(p.person.pk), p.label) for p in people), "暂不指定")


class GroupMembersForm(forms.Form):
    members = forms.MultipleChoiceField(
        label="小组成员",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="每人只能分在一个小组；已分在其他小组的人员须先从原小组移出。",
    )
    convener = forms.ChoiceField(label="召集人", required=False)

    def __init__(self, *args, people=(), taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        taken = taken or {}
        self.fields["members"].choices = [
            (str(p.person.pk), p.label + (f"（已在{taken[p.person.pk]}）" if p.person.pk in taken else ""))
            for p in people
        ]
        self.fields["convener"].choices = _choices(((str(p.person.pk), p.label) for p in people), "暂不指定")


class SpeechForm(forms.Form):
    speaker = forms.ChoiceField(label="发言人", error_messages={"required": "请选择发言人。"})
    item = forms.ChoiceField(label="议题", required=False)
    group = forms.ChoiceField(label="小组", required=False, help_text="留空则为发言人所在小组。")
    text = forms.CharField(
        label="发言内容",
        max_length=SPEECH_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写发言内容。", "max_length": f"发言内容不能超过{SPEECH_MAX}字。"},
    )

    def __init__(self, *args, speakers=(), items=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        speakers = list(speakers)
        self.fields["speaker"].choices = (
            [(str(p.person.pk), p.label) for p in speakers]
            if len(speakers) == 1
            else _choices((str(p.person.pk), p.label) for p in speakers)
        )
        self.fields["item"].choices = _choices(((str(i.pk), f"{i.order}. {i.title}") for i in items), "不限议题")
        self.fields["group"].choices = _choices(((str(g.pk), g.name) for g in groups), "发言人所在小组")
