"""English scripts: fraud cores per scheme (from bank, FTC and police warnings) and genuine cores."""

OPEN_FRAUD = [
    "", "", "Hello,", "Hi {name},", "Dear customer,", "Good afternoon.", "Hello, this is {bank}.", "Hey!",
    "Dear valued client,", "Hi there,",
]
CLOSE_FRAUD = [
    "", "", "", "Thank you for your cooperation.", "Regards, {bank} Security.", "Please respond quickly.",
    "Time is limited.", "Do not hang up.", "Reply STOP to opt out.",
]
FRAUD = {
    "bank_security": [
        "This is the {bank} fraud department. We detected a suspicious transaction of {amount}. To cancel it, tell me the code we just sent you.",
        "Someone is trying to take a loan in your name. To stop the application, read me the one-time code from the text message.",
        "Your online banking was accessed from a new device in {city}. Confirm your identity by giving me the 3 digits on the back of your card.",
        "For your protection we need to move your savings to a safe account while we investigate. I will give you the details.",
        "Your account has been compromised. Transfer your balance to the secure holding account immediately.",
        "Security team here: there is a pending payment of {amount}. If it was not you, share the passcode to reverse it.",
        "Do not tell the staff at your branch about this call, they may be involved in the fraud.",
        "We are calling from the bank's security service. Please withdraw your cash and deposit it to the protected account we provide.",
    ],
    "card_blocked": [
        "Your {bank} card has been blocked due to unusual activity. Unlock it here: {url}",
        "ALERT: your debit card ending {last4} is suspended. Verify your details within 24 hours at {url}",
        "Your account will be locked today unless you call us on {phone}.",
        "We have restricted your account. To restore access, enter your card number and CVV at {url}",
        "Your card was frozen. Reply with your card number and expiry date to reactivate.",
    ],
    "otp_request": [
        "Hi, I accidentally sent my verification code to your number, can you forward it to me?",
        "What's the code you just received? I need it to finish the booking.",
        "Please text me the 6-digit code you got, it's for the delivery confirmation.",
        "Send me the OTP that came to your phone, otherwise your order will be cancelled.",
        "Can you read me the numbers in the SMS you just got?",
        "Give me the code quickly, my phone died and I need to log in.",
    ],
    "remote_access": [
        "To secure your account, install AnyDesk and tell me the nine-digit address.",
        "Download TeamViewer QuickSupport so our technician can remove the fraudsters remotely.",
        "Please turn on screen sharing and I will guide you through cancelling the transfer.",
        "We need remote access to your phone to block the unauthorized payment.",
        "Install the security update from {url} — it's an apk file, allow unknown sources.",
    ],
    "delivery": [
        "Your parcel is on hold due to an incomplete address. Pay the redelivery fee of {amount} at {url}",
        "USPS: your package could not be delivered. Update your details here {url}",
        "Customs fee of {amount} is required to release your parcel: {url}",
        "DHL: your shipment will be returned to sender in 24 hours unless you pay the storage fee.",
        "The courier missed you. Confirm your card details to reschedule: {url}",
    ],
    "marketplace": [
        "Hi, I want to buy your item. I paid through the safe deal, claim your money at {url}",
        "I'm the buyer from the listing, I sent the payment, enter your card details here to receive it {url}",
        "I'll send a courier to pick it up, just confirm the payment on the delivery page {url}",
        "Selling a new PS5 for {amount}, prepayment to my card {card} only, shipping tomorrow.",
        "I'm out of town, can I pay via the marketplace delivery service? Follow this link to accept the money.",
    ],
    "relative": [
        "Mom, it's me, this is my new number. I need {amount} urgently, send it to this card {card}, I'll explain later.",
        "Hi Dad, my phone broke and I'm using a friend's. Can you transfer {amount}? Please don't tell mum.",
        "Grandma, I'm in trouble with the police, I need money for bail right now, a man will come to collect it.",
        "Your son had an accident and injured someone. To avoid a criminal case we need {amount} today.",
        "Hey it's me, lost my phone. Can you help me pay a bill? I'll pay you back tomorrow, send to {card}.",
    ],
    "investment": [
        "Invest {amount} and earn guaranteed returns of 30% per month. Join now: {url}",
        "Our trading platform made clients rich. Deposit {amount} and our broker will trade for you.",
        "Earn 5% daily passive income with our AI trading bot, withdraw any time. Message {tg}",
        "Your investment account is now worth {amount}. To withdraw your profit, pay the withdrawal fee first.",
        "Government-backed investment programme for citizens: invest {amount} today, receive profit tomorrow {url}",
    ],
    "job": [
        "Part-time job from home, 1-2 hours a day, earn {amount} daily. WhatsApp {phone}",
        "We are hiring! Like videos and earn up to {amount} per day. Simple tasks, paid instantly.",
        "Remote job opportunity: complete product orders, earn commission. First deposit {amount} required.",
        "You have been selected for an online job. Pay the training fee of {amount} to start.",
        "We need people to receive transfers to their account and forward them, you keep 10%.",
    ],
    "prize": [
        "Congratulations! You have won {amount} in our lottery. Pay the processing fee of {amount2} to claim.",
        "Your number was selected as the winner of our giveaway. Claim your prize: {url}",
        "You've won a new iPhone! Just pay the delivery fee of {amount}.",
        "{name}, you have a reward of {amount} waiting. Claim before midnight: {url}",
        "You are our lucky winner. Reply with your card number and expiry date to receive the prize.",
    ],
    "loan": [
        "Your loan of {amount} is pre-approved with no credit check. Pay the insurance fee of {amount2} to receive it.",
        "Instant loan in 5 minutes! Pay the processing fee and the money lands on your card.",
        "A loan application was made in your name. To cancel it, take a counter loan and move the money to a safe account.",
        "Loan approved: {amount}. Confirm here to get the funds today {url}",
    ],
    "social_payment": [
        "You are eligible for a one-time government payment of {amount}. Fill in the form: {url}",
        "Tax refund notice: you are owed {amount}. Enter your card details to receive the refund {url}",
        "Your pension savings can be withdrawn early, apply here {url}",
        "Government support payment for families: to receive it, tell us the code sent to your phone.",
    ],
    "police": [
        "This is Detective {name}. Criminals are using your account; you must help the investigation by moving your money to a safe account.",
        "National security service: a criminal case has been opened against you. You signed a non-disclosure agreement, tell no one.",
        "Police here. Your identity was used by fraudsters, confirm your card number and code for verification.",
        "Prosecutor's office: you are suspected of financing crime. Transfer your funds to the control account to clear your name.",
    ],
    "account_takeover": [
        "Hi! Could you vote for my niece in a contest? {url}",
        "You got a WhatsApp code by mistake, please forward it to me.",
        "Please follow the link and vote, you need to confirm your phone number {url}",
        "Send me the Telegram code, it's to restore your account.",
        "Your WhatsApp account will be deleted. Verify your number by sending the code we texted.",
    ],
    "romance": [
        "My love, I can't come, my funds are frozen. Please send {amount} for the ticket, I will return it.",
        "Darling, I sent you a gift parcel, you just need to pay the customs fee of {amount}.",
        "I'm a doctor serving abroad and I miss you so much. Help me pay for my leave, send to card {card}.",
        "Sweetheart, my capital is stuck on the exchange, invest {amount} to unlock it and we will be together.",
    ],
    "tech_support": [
        "Microsoft Support: your computer is infected with a virus. Call {phone} immediately.",
        "Technical support: your banking app is outdated, install the update from {url}",
        "A virus was detected on your phone, your card data is at risk. Install protection: {url}",
        "Your SIM card will be disconnected today. To renew the contract, tell us the code from the SMS.",
    ],
    "crypto": [
        "Buy USDT at a great rate: transfer {amount} to card {card} and coins will arrive in your wallet.",
        "Your crypto wallet is locked. To unlock it send 0.05 BTC to {btc}",
        "Bitcoin giveaway! Send 0.1 BTC and receive 0.2 BTC back {url}",
        "Crypto investment with 300% returns, deposit {amount} to wallet {tron}",
    ],
    "rental": [
        "Apartment for rent in central {city}, cheap. To book it, send a deposit of {amount} to card {card}.",
        "Daily rental, photos on WhatsApp. Booking only after paying the deposit of {amount}.",
        "About your listing: I'm abroad now, I'll send the keys by courier after you transfer the deposit.",
        "2-bedroom flat, landlord leaving the country, need three months' rent upfront today.",
    ],
}

OPEN_LEGIT = ["", "", "", "Hi!", "Hello,", "Hey {name},", "Good morning.", "Dear customer,"]
CLOSE_LEGIT = ["", "", "", "Thanks!", "Have a nice day.", "See you.", "Cheers.", "Talk soon."]
LEGIT = {
    "otp": [
        "Your verification code is {code}. Never share this code with anyone, {bank} will never ask for it.",
        "{code} is your login code. Do not share it.",
        "Use code {code} to confirm your payment of {amount}. If this wasn't you, call the number on your card.",
        "{code} is your WhatsApp code. Don't share it.",
        "Your one-time password is {code}. It expires in 5 minutes.",
        "Enter {code} in the app to verify your new device. Our staff will never ask for this code.",
    ],
    "bank_notice": [
        "{bank}: purchase of {amount} at {shop}. Available balance {amount2}.",
        "You received {amount} from {name}. Card ending {last4}.",
        "Your account was credited with {amount}. Balance: {amount2}.",
        "Your loan payment of {amount} has been received. Thank you.",
        "Your card ending {last4} expires next month. Collect your new card at any branch.",
        "Salary of {amount} has been credited to your account.",
    ],
    "family": [
        "Mom, can you send me {amount} for lunch? I'll pay you back.",
        "Dad, I'm home, all good, phone is dying, will call later.",
        "I sent you {amount} for the bus, check it.",
        "Can you pick up bread and milk on your way home?",
        "Please transfer {amount} for the utilities, I'll give it back on Friday.",
        "We'll come to grandma's on Saturday for lunch, what should we bring?",
        "Send me your card number so I can pay you back for the taxi.",
    ],
    "market": [
        "Hi, is the sofa still available? I can pick it up tonight.",
        "Yes it's available. Address: {city}, come after 6 pm.",
        "Can I see the car at the weekend? Is the price final?",
        "I'll let it go for {amount} if you collect today.",
        "I'll buy your bike, cash on pickup.",
        "Could you send more photos? I'm interested in the screen condition.",
    ],
    "delivery": [
        "Your parcel {track} has arrived at the post office. Bring your ID to collect it.",
        "Your order #{order} is out for delivery today between 2 pm and 6 pm.",
        "The courier will arrive in 20 minutes.",
        "Order {order} has been delivered to the parcel locker, the pickup code is in the store app.",
        "Your package {track} is in transit, track it on the official website.",
    ],
    "chat": [
        "What time are we meeting tomorrow?",
        "Send me the photos from last night please.",
        "I'll be ten minutes late, traffic is terrible.",
        "Happy birthday! Wishing you all the best!",
        "Who is picking up the kids today?",
        "Meeting at 10 am in the conference room, bring your laptops.",
        "I emailed you the report, please review before lunch.",
        "Got the movie tickets for seven, don't be late.",
    ],
    "warning": [
        "Police warn: bank staff will never ask for your SMS code. If someone calls from the 'security service', hang up.",
        "{bank} reminds you: never install AnyDesk or similar apps at a stranger's request.",
        "Scam alert: there is no such thing as a 'safe account'. Never move your money at a caller's request.",
        "News: police in {city} arrested a gang that called victims pretending to be bank employees.",
        "If a message says a relative is in trouble, call them back on a number you know.",
        "Fraud awareness week: report suspicious calls to your bank using the number on your card.",
    ],
    "service": [
        "Your doctor's appointment on {date} at 10:30 is confirmed. Room 205.",
        "Your application has been processed. The certificate is available in your account.",
        "Reminder: your internet bill of {amount} is due on the 25th.",
        "20% off all shoes until Sunday in our stores.",
        "Your taxi arrives in 3 minutes: white Toyota.",
        "Thanks for shopping with us! {amount} in bonus points added to your loyalty card.",
    ],
}

LEGIT["links"] = [
    "Check out this article, it explains everything: {okurl}",
    "Here's the link to the doc, please add your comments by Friday {okurl}",
    "Let's meet here {okurl} at 7 pm.",
    "Funny video, watch this {okurl}",
    "The class schedule for next week is on the website {okurl}",
    "You can pay the tax in the bank app or at {okurl}, that's what I did yesterday.",
    "Sent you the recipe, here's the link {okurl}",
    "News: the central bank kept the base rate unchanged, more at {okurl}",
]
LEGIT["misc"] = [
    "Reminder that the quarterly report is due tomorrow. Any questions, call me on {phone}.",
    "We signed the lease, I'll hand over the keys on Saturday; the first payment goes through the bank as agreed.",
    "Parents' evening at school today, the teacher asked us not to be late.",
    "Renovation of the stairwell starts on Monday, please keep the landing clear.",
    "I sent you the money for the tickets, can you check it arrived?",
    "Did you pay the kindergarten fee? The invoice is on the fridge.",
    "The lecture has moved to room 301, starting at 2 pm.",
    "Thanks for helping with the move, dinner is on me!",
    "The software is provided as is, without warranty of any kind; see the licence file for details.",
]

# Second batch of scripts (more wordings from the same warnings).
FRAUD["bank_security"] += [
    "This is the bank's anti-fraud unit. We see an attempt to move your funds; to block it, please confirm by reading out the verification code.",
    "I'm a senior bank officer. Your data has leaked, so your money must be moved today to a new account we open for you.",
    "A payment of {amount} is awaiting approval. If it wasn't you, give the operator the digits from the text and we'll cancel it.",
]
FRAUD["otp_request"] += [
    "Sorry, I used your number when signing up by mistake, you should have got some digits, could you send them over?",
    "You'll get a text with a code in a second, forward it to me please, it's for a competition.",
]
FRAUD["relative"] += [
    "Hi mum, texting from a friend's phone, mine is broken. I need to pay something urgently, please transfer {amount} to {card}, I'll explain tonight.",
    "Hello, your daughter caused an accident. To settle it without court you need to pay {amount} today.",
]
FRAUD["delivery"] += [
    "Delivery notice: your shipment is awaiting a payment of {amount}. Pay within 24 hours: {url}",
    "We could not deliver your order, address confirmation and a {amount} fee are required: {url}",
]
FRAUD["marketplace"] += [
    "I'm the buyer, I set up delivery through the service and sent you a form to receive the payment {url}, enter your card there.",
    "Payment for your item has arrived, confirm receipt of funds on this page {url}",
]
FRAUD["investment"] += [
    "Want to earn {amount} a week? Our platform trades for you, start from {amount2}, profit every day.",
    "While you work, your money works for you: a project paying 40% a month, limited places {url}",
]
FRAUD["card_blocked"] += [
    "Your bank card will be deactivated in 2 hours. To keep it active, confirm your details: {url}",
]
FRAUD["prize"] += [
    "You now own a {amount} voucher. To activate it, pay the {amount2} shipping at {url}",
]
FRAUD["social_payment"] += [
    "You have been approved for a utility compensation of {amount}. To receive it, enter your card details: {url}",
]
FRAUD["job"] += [
    "Looking for remote assistants, work from your phone, {amount} a day, we only need your card to receive payments.",
]
LEGIT["family"] += [
    "Can you transfer me {amount}? I was short at the pharmacy, I'll pay you back tonight.",
    "Don't worry mum, I got there fine, will call tomorrow.",
]
LEGIT["otp"] += [
    "Your transaction confirmation code: {code}. Never tell this code to other people.",
]
LEGIT["bank_notice"] += [
    "{bank}: new device sign-in to the app. If this wasn't you, call the number on the back of your card.",
    "Your card was blocked after three wrong PIN entries. You can unblock it in the app or at a branch.",
]
LEGIT["chat"] += [
    "Call me back urgently when you're free, it's about the cottage.",
    "Paid you back for lunch, please check.",
    "Don't forget it's Aigerim's birthday tomorrow, we're chipping in {amount} each for a gift.",
]
LEGIT["warning"] += [
    "Beware: scammers are sending 'compensation' links in the name of government services. Official payments never come with links.",
]

# Third batch: one more wording per scheme, and more genuine messages close to fraud.
FRAUD["remote_access"] += [
    "So we can check your phone for viruses, open the remote support app and read me the ID on the screen.",
]
FRAUD["job"] += [
    "Hiring for simple online tasks: follows, reviews, product ratings. Paid every evening, message the manager on Telegram {tg}",
    "Student job: open a bank card in your name and hand it to us, we pay {amount} for each one.",
]
FRAUD["rental"] += [
    "Lake house for the weekend, one date left. To hold it for you I need a {amount} deposit to card {card}.",
]
FRAUD["romance"] += [
    "Honey, I'm stuck at the airport, customs seized my luggage, please send {amount} for the duty, I'll repay you when we meet.",
]
FRAUD["tech_support"] += [
    "Your Apple ID has been locked due to suspicious activity. Call support on {phone} to restore it.",
]
FRAUD["crypto"] += [
    "Exchange manager here: you have {amount} in USDT, to withdraw please pay the wallet verification fee of {amount2}.",
]
FRAUD["account_takeover"] += [
    "Confirm you are not a bot: forward to this chat the code you got from WhatsApp.",
]
FRAUD["police"] += [
    "This is a police major speaking. A bank specialist will call you shortly, follow his instructions and tell no one about the check.",
]
FRAUD["loan"] += [
    "Loans for any purpose up to {amount} in 10 minutes, we only need an upfront fee for the contract.",
]
FRAUD["prize"] += [
    "Spin the wheel of fortune and collect your gift from {bank}! 3 attempts left: {url}",
]
LEGIT["market"] += [
    "I can post it cash on delivery, you pay at the post office when you collect it.",
    "The sofa is gone, thanks, I'm taking the listing down.",
]
LEGIT["service"] += [
    "Dear customer, your broadband installation request is confirmed, the engineer will call an hour before arrival.",
    "Your car insurance has been renewed until 12 December. Thank you for staying with us.",
]
LEGIT["warning"] += [
    "If someone calls from the 'security service', hang up and call your bank on the number on the back of your card.",
]

# Fourth batch: international wordings of the same schemes (FTC / Action Fraud / bank alerts).
FRAUD["card_blocked"] += [
    "Netflix: your payment was declined and your membership is on hold. Update your billing details at {url}",
    "Amazon: we've locked your account after an unusual sign-in attempt. Confirm your identity here {url}",
]
FRAUD["social_payment"] += [
    "HMRC: you are due a tax refund of {amount}. Claim it online before it expires: {url}",
]
FRAUD["delivery"] += [
    "Royal Mail: we have a parcel waiting for you. A small shipping fee of {amount} is required to arrange delivery: {url}",
]
FRAUD["bank_security"] += [
    "Did you attempt a payment of {amount} to a new payee? If NOT, call our fraud line on {phone} immediately.",
]
FRAUD["otp_request"] += [
    "Hey, I sent a reset code to your phone by accident, can you text it back to me real quick?",
]
FRAUD["prize"] += [
    "You've been chosen for a free gift card worth {amount}! Complete the short survey to claim: {url}",
]
LEGIT["bank_notice"] += [
    "Your statement is ready to view in the app. We'll never send a link asking for your details.",
    "Payment of {amount} to {name} was successful.",
]
LEGIT["delivery"] += [
    "Your Amazon order has shipped and is due to arrive tomorrow. Track it in the app.",
]
LEGIT["service"] += [
    "Your Netflix membership has been renewed. Enjoy watching!",
    "Your tax return has been received. No action is needed.",
]

# Fifth batch (msg2): schemes from US FTC consumer alerts (unpaid-toll texts, task scams, refund
# and recovery scams, gift-card payments, Google Voice code scams, fake Amazon/Apple/PayPal orders,
# SSA/IRS impersonation), UK Action Fraud / UK Finance "Take Five" (courier fraud, HMRC, "Hi Mum",
# Royal Mail/Evri redelivery, TV licence), and more hard negatives.
FRAUD["delivery"] += [
    "Evri: we missed you today. A redelivery fee of {amount} is required, rebook your slot at {url}",
    "Final notice: you have an unpaid toll balance of {amount}. Pay by tonight to avoid a late fee and licence suspension: {url}",
    "US Postal Service: your package cannot be delivered due to an incomplete address. Update it within 12 hours {url}",
]
FRAUD["bank_security"] += [
    "This is the fraud team. Someone at your branch is involved in the theft, so don't tell staff anything; withdraw the cash and we'll send a courier to collect it as evidence.",
    "Amazon here: an order for an iPhone 15 for {amount} was placed on your account. Press 1 to speak to an agent and cancel it.",
    "your account has been flagged, we need to move your balance to a protected account while we investigate, I'll give you the sort code",
    "Apple Support: your iCloud was used to buy gift cards. To reverse the charge, we'll verify your card number and the code we just texted.",
]
FRAUD["otp_request"] += [
    "Hi, I'm interested in the puppy you listed, but I need to make sure you're real. I'll send a code to your phone, just tell me what it says.",
    "This is the clinic confirming your appointment tomorrow, please reply with the 6-digit code you received to keep your slot.",
    "pls send me the verification code google just texted u, I'm setting up my account and used ur number by accident",
]
FRAUD["police"] += [
    "This is Detective Harris from the police. Your bank card has been cloned; we need you to hand it to our courier with your PIN written down so we can collect evidence.",
    "Social Security Administration: your SSN has been suspended due to suspicious activity. Call {phone} immediately to avoid arrest.",
    "HMRC: a criminal case has been filed against you for unpaid tax. Settle the amount of {amount} today or officers will attend your address.",
]
FRAUD["social_payment"] += [
    "HMRC: you are eligible for a tax refund of {amount}. Submit your bank details here to receive it: {url}",
    "Your TV Licence payment failed and your licence will expire. Update your payment details now: {url}",
    "Student loan forgiveness: you qualify to have your balance cleared. Enrol today, a one-time processing fee of {amount} applies.",
]
FRAUD["job"] += [
    "Hi, I'm a recruiter. Remote job, rate products in our app, 30 minutes a day, {amount} daily. Some tasks need a small top-up in crypto which you get back with commission.",
    "We saw your CV. You're hired as a payment processing agent: receive customer payments into your account and forward them, keep 10%.",
    "Congratulations on your new position! Before you start, buy the home-office equipment from our approved vendor, we'll reimburse you with the first paycheck.",
]
FRAUD["investment"] += [
    "My uncle is an analyst at a big fund and gives us inside signals, I made {amount} this week. Want me to show you the platform? {url}",
    "Limited spots: AI trading bot with guaranteed 2% daily returns, start with {amount}, withdraw any time.",
]
FRAUD["crypto"] += [
    "We are a fund recovery agency. We traced the crypto you lost to scammers and can return it after you pay the blockchain release fee of {amount}.",
    "Your wallet has been compromised. Connect it to our secure validator at {url} and enter your recovery phrase to migrate the funds.",
]
FRAUD["marketplace"] += [
    "I sent the payment via Zelle but it's pending because you need a business account upgrade. Send me {amount} and the bank will release the full payment.",
    "I'll pay extra for shipping, my mover will collect the item. I've sent a cheque for more than the price, please refund the difference by wire.",
]
FRAUD["relative"] += [
    "Hi Mum, this is my new number, I dropped my phone in the toilet. Can you pay a bill for me, I can't access my banking app until tomorrow?",
    "Grandpa, it's me, I've been arrested and need bail money. Please don't tell Mum, the lawyer will call you, pay him with gift cards.",
]
FRAUD["tech_support"] += [
    "WARNING: your computer has been blocked due to a virus. Do not restart. Call Microsoft Support on {phone} immediately.",
    "PayPal: invoice for {amount} for Norton antivirus renewal has been paid. If you did not authorise this, call our billing desk {phone}.",
]
FRAUD["account_takeover"] += [
    "Your Facebook page will be disabled for copyright violation. Appeal within 24 hours by logging in here: {url}",
    "Instagram: someone tried to log in from a new device. If it wasn't you, verify your account with your password and the code: {url}",
]
FRAUD["prize"] += [
    "You have an unclaimed reward from your mobile carrier: {amount} in loyalty points expiring today. Redeem now: {url}",
]
FRAUD["romance"] += [
    "My love, I'm on the oil rig and my salary is blocked until the contract ends. Could you send {amount} in Steam cards so I can pay the customs fee and come to you?",
]
FRAUD["loan"] += [
    "Your loan of {amount} is approved regardless of credit score! Pay the insurance fee with a gift card to release the funds today.",
]
FRAUD["rental"] += [
    "The flat is still available but lots of people want it. I'm abroad, so send the first month and deposit by bank transfer and I'll post you the keys.",
]
LEGIT["otp"] += [
    "Your Google verification code is {code}. Don't share it with anyone, Google will never ask for it.",
    "{code} is your delivery PIN. Give it to the courier only when you receive your parcel.",
    "Your one-time passcode for {bank} is {code}. We will never call you to ask for it.",
]
LEGIT["bank_notice"] += [
    "{bank}: we've declined a card payment of {amount} at an online store. If it was you, approve it in the app; we never ask you to move money.",
    "Your direct debit for council tax of {amount} will be collected on {date}.",
    "Your savings account earned {amount} in interest this month.",
    "Your new debit card has been dispatched and should arrive within 5 working days.",
]
LEGIT["family"] += [
    "Mum, can you send me {amount} for the bus pass? I'll pay you back when I get paid on Friday.",
    "Dad, I put the rent money in your account, can you check it arrived?",
    "Grandma asked me to pick up her prescription, I've paid for it already.",
    "Can you pay the window cleaner today? The cash is in the kitchen drawer.",
]
LEGIT["market"] += [
    "Hi, is the bike still for sale? I can come and look at it tomorrow and pay cash if it's ok.",
    "I've paid through the app's checkout, the item shows as sold on my side, when can you post it?",
    "Sure, you can collect the sofa on Saturday. Please bring a friend, it's heavy.",
]
LEGIT["warning"] += [
    "Action Fraud warns of a rise in courier fraud: police will never ask you to hand over your card or withdraw cash.",
    "FTC alert: scammers are sending texts about unpaid tolls. If you're unsure, check your account on the toll agency's official site.",
    "News: a man was jailed for running a 'Hi Mum' text scam that targeted hundreds of parents.",
]
LEGIT["service"] += [
    "Your TV Licence has been renewed. No action is needed.",
    "Your toll account was topped up automatically with {amount}.",
    "Your appointment at the clinic is confirmed for {date} at 10:30. Reply C to cancel.",
    "Your job application was received. Our team will review it and contact you if you are shortlisted.",
]
LEGIT["chat"] += [
    "running 10 min late, grab a table for us",
    "Did you see the game last night? Unbelievable finish.",
    "Can you cover my shift on Thursday? I'll swap with you next week.",
]
LEGIT["misc"] += [
    "IT: we're patching all laptops tonight, please leave yours on and connected to the VPN.",
    "Your HMRC self-assessment is due by 31 January, you can file it through your online account.",
    "Collection for Sarah's leaving gift: £5 each, give it to me by Friday.",
]

# Sixth batch (msg2): short and chatty forms of documented scripts (FTC, Action Fraud, UK Finance
# "Take Five", bank security pages of Barclays/HSBC/Chase describing "what we will never ask") and
# genuine short notices and chats as hard negatives.
FRAUD["otp_request"] += [
    "what's the code they sent you? need it now",
    "did you get a 6 digit text? read it to me so I can finish the refund",
    "Bank security: to stop the transfer, reply with the one-time passcode we sent.",
]
FRAUD["bank_security"] += [
    "We've detected fraud on your account. To protect your savings, transfer them to the holding account I'll text you now.",
    "This is your bank calling about a suspicious direct debit. Please confirm your full card number, expiry date and security code.",
    "Don't use your banking app for the next hour, we are tracing the criminals. Just follow my instructions.",
]
FRAUD["delivery"] += [
    "Your parcel is on hold: unpaid import duty {amount}. Pay now or it will be returned: {url}",
    "DHL: shipment {track} awaiting payment of {amount} customs charge. {url}",
]
FRAUD["prize"] += [
    "Congrats! You've been selected for a free iPhone 16 in our customer survey. Claim it for just the shipping fee at {url}",
    "You won the weekly draw! To get your {amount}, first pay the release tax via gift card.",
]
FRAUD["job"] += [
    "Part-time job offer: {amount} per day, work from your phone, no experience. WhatsApp {phone}",
    "Your account earned commission but it's frozen until you complete the combo task, deposit {amount} USDT to unlock it.",
]
FRAUD["account_takeover"] += [
    "hey is this you in this video?? {url}",
    "WhatsApp support: your account is being registered on another phone. To stop it send us the 6-digit code you received.",
]
FRAUD["relative"] += [
    "Mum it's me, new phone. Need you to transfer {amount} for my rent today, I'll explain later, can't talk now",
    "Hi Dad, phone broke, using a friend's. Could you urgently send money to this account? Bank app locked.",
]
FRAUD["tech_support"] += [
    "Your Microsoft account licence has expired and your files will be deleted. Call {phone} to renew.",
]
FRAUD["crypto"] += [
    "Airdrop live! Connect your wallet at {url} to claim 500 USDT before it ends.",
]
FRAUD["loan"] += [
    "Pre-approved: {amount} personal loan, no credit check. Pay the {amount} arrangement fee to our agent to release it.",
]
FRAUD["investment"] += [
    "Guaranteed returns, zero risk. Send {amount} to my account manager and watch it double in a week.",
]
LEGIT["bank_notice"] += [
    "{bank}: we've temporarily blocked your card after an unusual payment. To unblock it, open the app or call the number on the back of your card.",
    "Your card ending {last4} was used for {amount} at {shop}.",
    "Reminder: your credit card payment of {amount} is due on {date}.",
    "{bank}: you've set up a new payee. If this wasn't you, call us on the number on our website.",
]
LEGIT["otp"] += [
    "{code} is your login code. Do not give it to anyone, even if they say they are from {bank}.",
    "Use {code} to confirm your new device. If you didn't request this, change your password.",
]
LEGIT["chat"] += [
    "what time is the meeting?",
    "ok see you at 6",
    "Can you send me the photos from yesterday?",
    "did you get home ok?",
]
LEGIT["family"] += [
    "Sent you {amount} for groceries, get milk and bread please.",
    "Dad, can you lend me {amount} till payday? I'll pay back Friday.",
]
LEGIT["service"] += [
    "Your parcel {track} was delivered to your safe place.",
    "Your order {order} has been dispatched and will arrive tomorrow.",
    "Your mobile bill of {amount} is ready. Pay it in the app by {date}.",
]
LEGIT["warning"] += [
    "Reminder from {bank}: we will never ask you to move money to a safe account or share a one-time passcode.",
    "If you get a call from 'your bank' asking you to transfer money, hang up and call the number on your card.",
]
LEGIT["market"] += [
    "Hi, I'd like to buy the lamp. Can I collect it this evening and pay on pickup?",
    "It's sold, sorry. Good luck with your search!",
]
