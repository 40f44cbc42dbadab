"""Write ``fresh_eval.jsonl``: messages written after the model and cues were frozen, never tuned on.

They are phrased independently of ``scripts_*.py`` (no shared openings, closings or slot values)
to estimate how the classifier generalises to messages it has never seen. Do not train on them.
"""

from __future__ import annotations

import json
from pathlib import Path

F = "fraud"
L = "legit"
DATA = {
    "ru": [
        (F, "Добрый вечер. Это Олег из безопасности Халыка, ваша карта засветилась в мошеннической схеме. Сейчас придёт сообщение с цифрами, зачитайте их мне."),
        (F, "Служба защиты клиентов: на вас пытаются взять микрозайм. Чтобы аннулировать заявку, нужно перевести остаток на страховочный счёт."),
        (F, "Уважаемый абонент, срок действия вашей сим-карты истекает. Для продления продиктуйте код, который придёт в SMS."),
        (F, "Привет! Я тебе посылку отправила, но там доплата за доставку 1500 тг, оплати по ссылке kazpost-oplata.com пожалуйста"),
        (F, "Сынок, это мама, пишу с другого номера. Срочно скинь 40 тысяч на эту карту, потом объясню, папе не говори."),
        (F, "Поздравляем! Ваш номер выиграл в новогодней акции магазина. Для получения приза оплатите налог 5000 тенге."),
        (F, "Лёгкий заработок! Оцени товары на маркетплейсе и получай от 15 000 ₸ в день. Пиши @easy_work_kz"),
        (F, "Здравствуйте, это покупатель с OLX. Я уже оплатил ваш товар, перейдите по ссылке olx-safe-pay.site и получите деньги на карту."),
        (F, "Это следователь. Ваш счёт используется преступниками, для сохранности средств переведите их на счёт, который я назову. Разговор секретный."),
        (F, "Поставьте программу AnyDesk, я помогу вам отменить кредит, который на вас оформили."),
        (F, "Ваши накопления в ЕНПФ можно вывести прямо сейчас! Заполните анкету на сайте enpf-vyplata.online"),
        (F, "Криптобот приносит 3% в день. Вложите от 100 USDT, вывод в любой момент."),
        (F, "Квартира на сутки в центре, 8000 тг. Для брони скиньте предоплату 50% на каспи."),
        (F, "Привет, проголосуй за мою дочку в конкурсе рисунков, там нужно ввести номер и код из смс: golos-konkurs.kz"),
        (F, "Ваш аккаунт Kaspi заблокирован. Подтвердите личность по ссылке kaspi-verify.top в течение часа."),
        (L, "Ваш код: 3391. Никому его не говорите. Kaspi.kz"),
        (L, "Покупка 4 500 ₸ в Magnum, карта *7712. Доступно 112 300 ₸."),
        (L, "Мам, переведи мне 2000 на проезд, пожалуйста, у меня на карте ноль."),
        (L, "Добрый день, велосипед ещё продаёте? Могу подъехать в субботу утром посмотреть."),
        (L, "Ваша посылка ожидает в отделении Казпочты до 20 декабря. Возьмите удостоверение."),
        (L, "Ребята, кто сегодня забирает торт? Я не успеваю после работы."),
        (L, "Напоминаем: банк никогда не просит коды из SMS и не предлагает перевести деньги на «безопасный счёт»."),
        (L, "Созвон по проекту переносится на 15:30, ссылку на встречу пришлю в почту."),
        (L, "Скидки до 50% на зимнюю одежду только в эти выходные!"),
        (L, "Оплата за интернет прошла успешно, следующий платёж 5 января."),
        (L, "Слушай, скинь номер того мастера, который делал тебе ремонт."),
        (L, "Завтра в 9 приезжает сантехник, будь, пожалуйста, дома."),
        (L, "Поздравляю с повышением! Давай отметим в пятницу."),
        (L, "Вы записаны на приём к терапевту на 12.12 в 11:00."),
        (L, "Спасибо, деньги получил, всё пришло."),
    ],
    "kk": [
        (F, "Қайырлы кеш. Мен Halyk банкінің қауіпсіздік бөлімінен Олжаспын, картаңыз алаяқтық схемаға ілікті. Қазір цифрлары бар хабарлама келеді, соны маған оқып беріңіз."),
        (F, "Клиенттерді қорғау қызметі: сіздің атыңызға микрокредит алуға тырысып жатыр. Өтінімді жою үшін қалған ақшаны сақтандыру шотына аудару керек."),
        (F, "Құрметті абонент, SIM-картаңыздың мерзімі бітіп жатыр. Ұзарту үшін SMS-пен келетін кодты айтыңыз."),
        (F, "Сәлем! Саған сәлемдеме жібердім, бірақ жеткізуге 1500 тг қосымша төлеу керек, kazpost-tolem.com сілтемесі арқылы төлеп жіберші"),
        (F, "Балам, бұл апаң, басқа нөмірден жазып тұрмын. Мына картаға шұғыл 40 мың сал, кейін түсіндіремін, әкеңе айтпа."),
        (F, "Құттықтаймыз! Нөміріңіз дүкеннің жаңа жылдық акциясында ұтты. Жүлдені алу үшін 5000 теңге салық төлеңіз."),
        (F, "Оңай табыс! Маркетплейстегі тауарларды бағалап, күніне 15 000 ₸-ден алыңыз. @easy_work_kz жазыңыз"),
        (F, "Сәлеметсіз бе, OLX-тегі сатып алушымын. Тауарыңызды төлеп қойдым, olx-safe-pay.site сілтемесіне өтіп, ақшаны картаңызға алыңыз."),
        (F, "Бұл тергеуші. Шотыңызды қылмыскерлер пайдаланып жатыр, қаражатты сақтау үшін мен айтатын шотқа аударыңыз. Әңгіме құпия."),
        (F, "AnyDesk бағдарламасын орнатыңыз, атыңызға рәсімделген несиені жоюға көмектесемін."),
        (F, "БЖЗҚ-дағы жинағыңызды дәл қазір шығаруға болады! enpf-tolem.online сайтында сауалнаманы толтырыңыз"),
        (F, "Крипто-бот күніне 3% табыс әкеледі. 100 USDT-ден салыңыз, кез келген уақытта шығарасыз."),
        (F, "Орталықтағы тәуліктік пәтер, 8000 тг. Брондау үшін 50% алдын ала төлемді каспиге жіберіңіз."),
        (F, "Сәлем, қызымның сурет байқауында дауыс берші, нөмір мен смс-тегі кодты енгізу керек: dauys-konkurs.kz"),
        (F, "Kaspi аккаунтыңыз бұғатталды. Бір сағат ішінде kaspi-verify.top сілтемесі арқылы жеке басыңызды растаңыз."),
        (L, "Кодыңыз: 3391. Оны ешкімге айтпаңыз. Kaspi.kz"),
        (L, "Magnum дүкенінде 4 500 ₸ сатып алу, карта *7712. Қолжетімді 112 300 ₸."),
        (L, "Апа, жол ақысына 2000 аударып жіберші, картамда ақша жоқ."),
        (L, "Сәлеметсіз бе, велосипедті әлі сатып жатырсыз ба? Сенбі күні таңертең көруге бара аламын."),
        (L, "Сәлемдемеңіз 20 желтоқсанға дейін Қазпошта бөлімшесінде күтеді. Жеке куәлігіңізді алыңыз."),
        (L, "Балалар, бүгін тортты кім алады? Мен жұмыстан кейін үлгермеймін."),
        (L, "Еске саламыз: банк ешқашан SMS-тегі кодты сұрамайды және ақшаны «қауіпсіз шотқа» аударуды ұсынбайды."),
        (L, "Жоба бойынша қоңырау 15:30-ға ауыстырылды, кездесу сілтемесін поштаға жіберемін."),
        (L, "Осы демалыста ғана қысқы киімге 50%-ға дейін жеңілдік!"),
        (L, "Интернет төлемі сәтті өтті, келесі төлем 5 қаңтарда."),
        (L, "Тыңдашы, саған жөндеу жасаған шебердің нөмірін жіберші."),
        (L, "Ертең сағат 9-да сантехник келеді, үйде бол."),
        (L, "Қызметің өскенімен құттықтаймын! Жұмада атап өтейік."),
        (L, "Сіз 12.12 күні сағат 11:00-ге терапевт қабылдауына жазылдыңыз."),
        (L, "Рахмет, ақшаны алдым, бәрі түсті."),
    ],
    "en": [
        (F, "Good evening, this is Oliver from your bank's security desk. Your card showed up in a fraud ring. You'll get a message with some digits now, read them out to me."),
        (F, "Customer protection here: someone is applying for a payday loan in your name. To void it, move your remaining balance to the insurance account."),
        (F, "Dear subscriber, your SIM card is about to expire. To renew it, tell us the code you receive by SMS."),
        (F, "Hi! I sent you a parcel but there's a $3 delivery top-up, please pay it at royalmail-fee.com"),
        (F, "Son, it's mum, writing from another number. Send 400 dollars to this card right now, I'll explain later, don't tell dad."),
        (F, "Congratulations! Your number won our store's new year promotion. Pay the $50 tax to receive your prize."),
        (F, "Easy income! Rate products on the marketplace and get $150 a day. Message @easy_work_now"),
        (F, "Hello, I'm the buyer from the listing. I've already paid for your item, go to market-safe-pay.site and collect the money to your card."),
        (F, "This is an investigator. Criminals are using your account; to protect your funds transfer them to the account I'll give you. This conversation is confidential."),
        (F, "Please install AnyDesk, I'll help you cancel the loan that was taken out in your name."),
        (F, "Your pension savings can be withdrawn right now! Fill in the form at pension-payout.online"),
        (F, "Our crypto bot makes 3% a day. Put in from 100 USDT, withdraw whenever you like."),
        (F, "Studio flat in the centre for the weekend, $40 a night. To book, send a 50% deposit to my card first."),
        (F, "Hi, please vote for my daughter in a drawing contest, you just enter your number and the code from the text: vote-kids-contest.com"),
        (F, "Your PayPal account is locked. Verify your identity at paypal-verify.top within one hour."),
        (L, "Your code: 3391. Don't share it with anyone."),
        (L, "Card purchase $45.00 at Tesco, card ending 7712. Available balance $1,123.00."),
        (L, "Mum, can you send me $20 for the bus? My card is empty."),
        (L, "Hi, are you still selling the bike? I could come and look on Saturday morning."),
        (L, "Your parcel is waiting at the post office until 20 December. Bring photo ID."),
        (L, "Guys, who is picking up the cake today? I won't make it after work."),
        (L, "Reminder: your bank will never ask for SMS codes or tell you to move money to a 'safe account'."),
        (L, "The project call moved to 3:30 pm, I'll email the meeting link."),
        (L, "Up to 50% off winter clothing this weekend only!"),
        (L, "Your internet payment went through, next payment due 5 January."),
        (L, "Hey, send me the number of the guy who did your renovation."),
        (L, "The plumber is coming at 9 tomorrow, please be home."),
        (L, "Congrats on the promotion! Let's celebrate on Friday."),
        (L, "You are booked with the GP on 12 December at 11:00."),
        (L, "Thanks, got the money, all arrived."),
    ],
}


def main() -> None:
    out = Path(__file__).parent / "fresh_eval.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for lang, rows in DATA.items():
            for i, (label, text) in enumerate(rows):
                fh.write(json.dumps({"id": f"fresh-{lang}-{i:02d}", "text": text, "label": label, "lang": lang, "split": "test"}, ensure_ascii=False) + "\n")
    print(out)


if __name__ == "__main__":
    main()
