"""The conversation intents the Rasa project learns next to `faq`, with examples and replies.

Names match the built-in engine's intents (`nlu.intents`), so a decision reads the same whichever
engine made it; abuse is left to the built-in rules, which must never depend on a model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConversationIntent:
    """An intent with training examples and the reply a stand-alone Rasa bot would give."""

    name: str
    examples: tuple[str, ...]
    reply: str


INTENTS: tuple[ConversationIntent, ...] = (
    ConversationIntent(
        "greeting",
        (
            "你好",
            "您好",
            "在吗",
            "在不在",
            "有人吗",
            "早上好",
            "上午好",
            "下午好",
            "晚上好",
            "哈喽",
            "嗨",
            "你好啊",
            "您好，在吗",
            "hello",
            "hi",
        ),
        "您好！我是政务咨询机器人，请直接输入您要咨询的事项。",
    ),
    ConversationIntent(
        "thanks",
        (
            "谢谢",
            "谢谢你",
            "多谢",
            "感谢",
            "非常感谢",
            "谢了",
            "辛苦了",
            "好的谢谢",
            "明白了谢谢",
            "收到，谢谢",
            "太感谢了",
            "thanks",
        ),
        "不客气，很高兴为您服务。",
    ),
    ConversationIntent(
        "goodbye",
        ("再见", "拜拜", "回头见", "下次见", "没有了", "没事了", "不用了", "bye", "先这样吧"),
        "再见，祝您生活愉快！",
    ),
    ConversationIntent(
        "human",
        (
            "转人工",
            "人工服务",
            "人工客服",
            "我要找人工",
            "我要人工",
            "人工在吗",
            "真人客服",
            "找真人",
            "客服在吗",
            "能不能转人工",
            "帮我转人工客服",
            "我想跟工作人员说",
        ),
        "正在为您转接人工客服，请稍候。",
    ),
    ConversationIntent(
        "complaint",
        (
            "我要投诉",
            "我要举报",
            "投诉一下",
            "我想投诉",
            "我要反映问题",
            "我要信访",
            "举报违法行为",
            "投诉工作人员态度差",
            "检举",
            "我要控告",
        ),
        "您的投诉我们已记录，将转交工作人员处理。",
    ),
    ConversationIntent(
        "robot",
        (
            "你是机器人吗",
            "你是不是机器人",
            "你是真人吗",
            "你是人工智能吗",
            "你是人还是机器",
            "是机器人在回复吗",
            "机器人吗",
            "你是ai吗",
        ),
        "我是政务咨询机器人，需要人工服务请回复“转人工”。",
    ),
)
