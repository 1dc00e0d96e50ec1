"""Fixed texts of the pipeline (not answers: those come from the knowledge base)."""

WELCOME = (
    "您好，欢迎关注{account}！我是智能咨询助手，可以解答社保、户籍、医保、公积金、入学等政务问题。"
    "请直接输入您的问题；需要人工服务请回复“转人工”。"
)
EMPTY = "您好，请用文字描述您想咨询的问题，例如“社保卡丢了怎么补办”。"
MEDIA = "暂时无法识别图片、语音或位置信息，请用文字描述您的问题，我们将尽快为您解答。"
RATE_LIMITED = (
    "您发送的消息较多，请稍候。您的留言已记录，工作人员会尽快在此回复您。"
    "稍后如想继续向智能助手咨询，请回复“退出人工”。"
)
HUMAN_ACK = (
    "您的留言已收到，工作人员会尽快在此回复您，请耐心等待。"
    "如想先向智能助手咨询其他问题，请回复“退出人工”。"
)
EMERGENCY = (
    "如遇紧急情况，请立即拨打：报警110、火警119、急救120；"
    "如有轻生念头或心理困扰，请拨打心理援助热线12356。"
    "本账号无法处理紧急求助，请不要等待在线回复。"
)
# Handed to staff while numbered choices wait: a number still picks one.
CHOICES_STILL_OPEN = "等待期间，如上面的选项中有您要问的，也可以直接回复序号查看。"
# 转人工 again while the conversation is with staff: when they will reply, and the way back.
ALREADY_WITH_STAFF = (
    "您已在人工服务队列中，无需重复申请。工作人员将{when}在此回复您，请耐心等待。"
    "如想先向智能助手咨询其他问题，请回复“退出人工”。"
)
BACK_TO_BOT = "已为您切换回智能咨询，请直接输入您的问题。您之前的留言仍会由工作人员在此答复。"
# 退出人工 while the conversation is not with staff: nothing to leave.
ALREADY_WITH_BOT = "您目前正在与智能助手对话，请直接输入您的问题；需要人工服务请回复“转人工”。"
BUSY = (
    "抱歉，系统暂时繁忙，您的留言已记录，工作人员会尽快回复。"
    "如有急事，请拨打12345政务服务便民热线。"
)
CLARIFY_HANDOVER = "抱歉，暂时没能准确理解您的问题，已为您转接工作人员，将在规定时限内在此答复您。"
# In a group chat nothing personal is handled in front of the other members.
MOVE_TO_PRIVATE = (
    "您的诉求涉及个人信息，为保护您的隐私，请{where}与我私聊，说明情况后工作人员会在私聊中答复您。"
)
# The only public reply to a comment about a personal matter or a complaint (微博评论、公众号留言).
COMMENT_TO_PRIVATE = (
    "您好，您反映的事项涉及个人情况，为保护您的隐私，请私信我们，工作人员将尽快为您办理。"
)
