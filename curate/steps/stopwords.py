"""Stop words per language, for the stop-word density of text blocks (see extract/score).

The 150 most frequent words of each language (lowercased, word characters only, in frequency order),
taken from the stoplists of jusText 3.0.2 (https://github.com/miso-belica/jusText,
justext/stoplists/*.txt). Only the lists are copied; jusText is not a run-time dependency. 150 words
keep the sets small while covering most stop-word tokens of running text. jusText's licence:

    Copyright (c) 2011, Jan Pomikalek <jan.pomikalek@gmail.com>
    Copyright (c) 2013, Michal Belica

    All rights reserved.

    Redistribution and use in source and binary forms, with or without modification,
    are permitted provided that the following conditions are met:

    * Redistributions of source code must retain the above copyright notice, this
      list of conditions and the following disclaimer.
    * Redistributions in binary form must reproduce the above copyright notice,
      this list of conditions and the following disclaimer in the documentation
      and/or other materials provided with the distribution.

    THIS SOFTWARE IS PROVIDED BY THE REGENTS AND CONTRIBUTORS ''AS IS'' AND ANY
    EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
    WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
    DISCLAIMED. IN NO EVENT SHALL THE REGENTS OR CONTRIBUTORS BE LIABLE FOR ANY
    DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
    (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
    LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON
    ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
    (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
    SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: Final[dict[str, frozenset[str]]] = {
    "en": _words("""
        the of and in to a was is for as on with by that from at his an he are were which be has it or
        also had first their not but have who its one this been her two they other into after all when
        more only would she new most can over during where used such up between many made some than out
        united known about time then became under being part there him years three through including
        later will american both until before well no against while called second several university
        number name these played early may world located national same them released de area use work
        any school since team age so john won people began each year population now family film found
        city british four album could very south named around took former because series states did
        within state end based i local held september
    """),
    "de": _words("""
        der und die in von den des im mit dem das ist er zu als wurde eine sich für ein auf an war auch
        nach bis aus bei einer am zum sie durch einem nicht oder es sind zur wird einen über um dass
        unter wie werden wurden nur jahr noch seiner vom aber seine vor jahre sowie eines zwischen
        dieser zwei hat jedoch so jahren gegen zeit stadt seit man ersten waren wieder etwa diese sein
        hatte seinen seinem mehr drei ihre später heute liegt erste beim de kann dann ende of wo anderen
        ihm bereits ab teil da ihrer während sehr diesem gibt dort kam ihn beiden mai allem gemeinde
        konnte august alle januar oktober dessen ihr märz keine juni april september damit juli dezember
        ihren jahrhundert vier deren november gab erhielt mitglied zunächst deutschen namen haben immer
        was deutschland kirche weitere schon hier universität begann februar denen
    """),
    "es": _words("""
        de la en el y que a del los se un por con una las su es como al para fue más no o sus lo entre
        también son pero hasta le dos este ha sobre ser donde parte desde esta era años año durante está
        ciudad ya muy cuando san gran fueron tiene sin uno primer primera nombre había e cual puede
        forma mismo siglo otros después sido población así tres vez todo han encuentra mayor contra
        aunque lugar junto cada grupo familia hacia bajo siendo todos ese quien sólo otras si pueden
        estados nuevo tiempo algunos tras región equipo juan mientras universidad varios serie antes
        estaba tanto río tuvo vida estado número debido unos josé sistema gobierno estos día eran
        nacional obra están además otro hace entonces muchos banda provincia hay él historia cuatro of
        grandes cuenta luego zona través álbum dentro hizo partir conocido guerra santa poco
    """),
    "fr": _words("""
        de la et le à en des les du est un dans une par au pour qui il que a sur son avec se plus sont
        ou sa aux ce été comme ses pas ne deux fut mais cette fait entre ont était elle leur aussi dont
        lui même où sous alors ainsi également être y nom premier très après peut partie ville ces
        première on années puis depuis tout lors contre plusieurs commune groupe sans trois avait vers
        avant fin bien région fois né france leurs tous faire encore avoir située peu donc autres
        notamment ans famille mort ils soit grande pendant partir cours quelques place moins monde grand
        temps devient lieu nombre si français début nouveau pays nombreux forme titre suite souvent non
        trouve politique général vie étaient guerre village série département quatre of près sera saison
        nouvelle film situé chez furent doit roi selon toute celle celui
    """),
    "it": _words("""
        di e il la in del a che è un della per una con nel da si i al le dei alla non come più delle
        nella anche dal sono ed ad ha fu gli sua suo era ma cui o dalla due lo tra parte degli stato
        prima anni essere su ai dopo loro questo viene uno venne sul alle dove nei primo solo città
        nelle sulla nome poi mentre molto quale comune fino suoi sia se dai stata dello altri quando
        hanno questa erano durante san stesso può tre secondo aveva contro quella de serie quello furono
        fine alcuni quali seguito grande film tutti ancora così volta gruppo sempre sue dalle negli
        quindi ogni circa abitanti sotto verso tempo periodo fra senza seconda guerra altre proprio già
        quanto ne nuovo fatto vita modo oltre agli famiglia tutto aver trova regione causa numero questi
        situato però presso of secolo
    """),
    "pt": _words("""
        de e a o do da em que uma um é com no para na por os foi como dos se as ao sua mais das seu à
        não ou pela pelo ser também são entre era tem mas seus nos cidade até onde área ele foram anos
        sobre nas quando população parte região sendo suas primeiro aos grande estado mesmo nome muito
        segundo família dois ainda já está durante primeira maior pode rio ano outros apenas km² ter
        forma após pelos qual depois dia século três município duas banda num todos sem densidade contra
        às ela álbum desde sido então vez tendo acordo comuna grupo localizada partir quais tinha cerca
        este alguns espécie teve cobertos outras cada estados período através conhecido bem of tempo
        sistema brasil assim além vários eram esta série final filme música josé vida antes história
        estava pertencente podem fez departamento possui sob km joão província
    """),
    "nl": _words("""
        de van in en het een is op met zijn te werd voor die hij door was dat aan als uit tot ook bij
        naar wordt om of niet er maar ze deze plaats heeft zich worden onder inwoners gemeente eerste
        over dan nog haar deel meer andere werden dit jaar twee kan had aantal hun na tussen waar telt
        al waren veel zou geen echter maakt staat hem naam oppervlakte jaren wel grote hebben tegen
        kunnen zoals stad per nieuwe kwam later ligt men nederlandse franse één wat tijdens zij weer
        tijd bekend amerikaanse toen ongeveer ten komt drie alle omdat verschillende tweede toont figuur
        laatste samen rond gebruikt kreeg zo duitse enkele ging eeuw vaak provincie km² waarvan vooral
        nederland land eigen alleen bedraagt gebied terug kon der nu maakte waarbij departement waarin
        bevolkingsdichtheid speelde district zeer steeds united januari eerst club mei the juni vanaf
        gezien daar
    """),
    "pl": _words("""
        w i z na się do jest roku przez a od oraz nie o to po został był latach jako pod jego że za dla
        tym także są ze który lub jak we również jednak przy jej tego miejscowość była lat które została
        co gdzie miejscu ii ich też nad polsce względem ale go tej powiecie były było czasie ma gmina
        podczas województwie wieś która położona już miejsce według ten wieku tylko znajduje rok danych
        gminie natomiast wojny września przed części później być którym której de wraz województwa
        należała stycznia maja czerwca których może sierpnia pierwszy lipca października około marca
        między linki kwietnia regionie następnie bardzo czy on gminę powierzchni miasta administracyjnie
        grudnia którego dwa mu część miał miasto listopada udział u dwóch można lutego innych of gdy
        liczby wynosiła wielu skład okresie grupy raz zostały jeden nich ją nim tych głównie terenie
        początku zaludnienia gmin zdobył wiele departamencie gęstość
    """),
    "ru": _words("""
        в и на с по из не к года что был от году для как а его до он за также или о была время при были
        но было во у же после под их это более является где который так только её со то стал которые они
        этого между население все она этом составляет состав может когда которых уже несколько чтобы
        города часть через около лет один части области которой находится том других своей против ему
        них составе всех которая района декабря быть ещё которого можно территории человек войны районе
        есть два входит этой затем над получил км россии января год свою площадь город чем имеет вместе
        качестве своего всего очень однако себя годы двух населения августа лишь июля мая сентября без
        октября этот название марта конце июня группы ссср начале числе среди апреля место века одной
        участие даже ноября своих собой первый занимает могут реки об городе стала
    """),
    "uk": _words("""
        в і на у з та до що від за не для а року км як його є був було й також році або про із населення
        він під по час близько які була були який схід при але її осіб де відстані село регіоні
        муніципалітет це після розташований захід їх районі україни південний через яка має департамент
        між років становить вони цього яких лише став тому ще так міста інших них північний ж південь
        коли ic може зі вона чи тільки початку району один території вже участь місто дуже якого можна
        бути багато над цьому роки цей серед війни щоб проти місцевого мають разом свою більше місті
        області села біля різних життя два той століття всі складу сільська частина самоврядування селі
        свого двох північ січня понад орган тут роках цих того березня місце можуть інші більш складі
        навіть то стала вересня період часто український травня всіх майже йому ніж
    """),
    "cs": _words("""
        a v se na je z s do byl roce ve i jako o k roku pro od byla že jsou jeho za po které který ale
        také nebo až bylo u která však zde ze byly kde mezi to při tak má letech si první své již pod
        jejich pak být či století než aby kdy let území jen později podle době pouze nad by stal před
        velmi část ke města této mu další může asi proti nachází což km její když části ho tedy ještě
        především měl přes několik svého kteří byli jak není více například město často během dva mají
        svou tohoto oblasti už druhé co ji de bez obce období zejména lze kterou patří jej okrese
        protože války jeden dvě proto září hlavní dalších též tři světové leží té měla dvou získal kolem
        všech název těchto začal listopadu české svých dále ani několika poté díky pomocí
    """),
    "sv": _words("""
        och i av en som är att till på med den för var ett de har det från han om vid under sig men inte
        även blev sin eller kan hade man där år efter andra första då finns född så också mot över två
        mellan genom fick sedan bland samt hans hon annat ut upp död skulle in inom kom olika vilket
        dock sitt sina ha vara flera mycket detta när ligger än många senare samma del svensk denna alla
        tre mer stora svenska of utan sverige ofta mest tidigare fram gjorde började dessa tillsammans
        stor dess varit kommer tog nya vann största hela kunde början exempel används gick få bara namn
        några namnet större tid hos januari både mindre the ska honom får blir spelade något fanns maj
        går bli kallas fyra grund deras känd mars cirka oktober december juni september endast april
        innan juli åt augusti eftersom
    """),
    "da": _words("""
        i og af en er til at som den på for med var blev der det de et fra han har ved ikke om men sig
        også havde hvor eller kan efter sin under man over første hans da to mod så år fik deres være
        del mellem ligger andre kunne mange dog hun kun været flere meget denne ud dansk alle blevet
        senere kom bliver mere end skulle sit have store op sammen samt omkring samme tidligere danske
        sine ham siden skal dette vil kendt mens blandt tre of mest stor andet få tilbage forskellige
        dag både selv gennem anden hvilket findes ind nogle hele nye ofte nu disse gik uden ville række
        tyske blive gang hos hvis danmark sidste indtil største først derfor januar før mindre dem
        århundrede maj the tid begyndte byen inden vandt juni større marts når medlem september oktober
        april grund spillede tog november frem
    """),
    "id": _words("""
        yang dan di dengan dari adalah pada ini untuk dalam tahun oleh sebagai menjadi juga tidak ke
        atau sebuah merupakan ia memiliki satu itu dapat karena lebih telah akan mereka bahwa seorang
        seperti orang kota desa tersebut kecamatan secara salah saat jawa beberapa banyak antara nama
        kemudian ada pertama bagian bahasa wilayah terletak para kabupaten setelah kepada indonesia
        hingga besar hanya atas digunakan dua amerika sangat lain yaitu menggunakan disebut serta
        tanggal dikenal bisa daerah negara suatu masih masa sampai namun film sehingga kembali mulai
        tempat sudah terhadap sekitar bagi provinsi penduduk terdapat pernah ketika berada sejak of
        membuat dia dunia berbagai baru selama kali termasuk terjadi tentang bernama sistem bersama
        paling anggota tetapi waktu kedua hari melalui anak sama semua melakukan sering harus mempunyai
        berasal jepang berhasil luas bawah utama bulan akhirnya seluruh selain dilakukan terdiri album
        maka lagu abad jumlah sebesar lainnya tiga awal rumah musik air the
    """),
    "tr": _words("""
        ve bir ile olarak bu de da için olan köyün yılında sonra tarafından en çok daha ilk ise köy gibi
        büyük ilçesine bağlı kadar şebekesi ptt birlikte ancak arasında yer iki olduğu tüzel olup yol
        hakkında veya göre köyde bilgi ayrıca tarım her alanı bulunan km suyu ilinin önemli ya sağlayan
        türk okulu elektrik vardır diğer etki adı sağlık içme ilköğretim sabit altyapı ekonomisi iklimi
        telefon köye evi adlı ocağı ulaşımı aynı şubesi yıl hayvancılığa kanalizasyon acentesi içinde
        yeni iline hem temsil son asfalt eski gelen karşı yapılan etmesi üzerine alması önce the
        seçimleri muhtarlık kişiliği yerinin kendi yerleşim kişiliğini alan devam zaman o birçok
        tarihinde of üzerinde dünya iyi osmanlı yemekleri kabul bazı üzere tüm şekilde tek küçük fazla
        yüksek üç olduğunu sahip kez ortaya çeşitli görenek biri eden farklı sadece ikinci yoktur
        geldiği türkiye olmak adının fakat yaklaşık ama süre sırasında uzun zamanda avrupa su yanı ait
        geri
    """),
    "ro": _words("""
        de în a și din la este cu o un care fost pe al mai se pentru au să lui ca nu că sau ce sunt ale
        prin fi anul iar fiind după era in dintre cele dar cel si anii are până către între sub sa două
        parte mare unui oraș unei unde cea județul va poate multe când acest timpul timp această ar
        toate partea avut fie numele el avea foarte comună său ani erau spre ei ai prima râul trei alte
        unor precum perioada doar loc sale unul lor cum cei mult peste află primul localitate apoi
        devenit asupra început își face landul îl of ales îi cadrul the pot despre astfel limba fără
        însă i data decât numit locul una făcut cât orașul membru le chiar românia celor ianuarie
        biserica numai urma aceste decembrie iunie martie atât împotriva având încă râului comuna mod
        august octombrie noiembrie
    """),
    "hu": _words("""
        a és az is egy hogy nem de volt első vagy meg már csak mint után két majd között még pedig
        szerint el magyar egyik nagy így több azonban aki amely ahol című s ki ez új fel valamint alatt
        ami van azt minden illetve második olyan később miatt mely sem ő lett által más amikor során
        század három be mellett ezt ha város ezért való német található került itt mert akkor úgy kell
        például mivel saját király át amit legnagyobb akik sok néven amerikai előtt közül hanem francia
        számos először együtt lehet mai évek része években falu jelent míg óta másik néhány nagyobb
        család annak év tartozó végül században különböző ma utolsó teljes melyet ekkor egész jelentős
        nagyon alapján szintén ismét nevű község szent mind of egyes szeptember következő kis részt
        adott négy vett gyakran október angol melynek le kellett voltak amelyet számára település végén
        egyetlen március éves ezzel
    """),
    "fi": _words("""
        ja on oli myös hän vuonna joka ovat ei mutta sekä että tai se sen jälkeen jonka hänen jossa kuin
        kuitenkin suomen kun sai noin olivat vuoden mukaan ollut muassa eli muun tuli jotka vain voi
        voitti kanssa ole kaksi jo kuten toimi vuosina aikana hänet ennen yksi esimerkiksi jolloin
        lisäksi eri teki myöhemmin ensimmäinen sillä of voidaan sijaitsee sitä osa koska suomessa yli
        niin olla usein ensimmäisen siirtyi hyvin koko alkoi suomalainen vielä ne pelasi jota eivät
        julkaistiin kolme yleensä aloitti tämän josta the vuodesta tämä olisi vuotta he syntyi kaikki
        kuuluu käytetään helsingin useita eikä joista vaan mukana olevan maaliskuuta helmikuuta aina de
        tammikuuta yhdysvaltalainen jopa paljon toimii toukokuuta huhtikuuta kesäkuuta kauden yhdessä
        lokakuuta syyskuuta toinen nimellä suurin saa heinäkuuta saksan yhdysvaltain lähes tulee
        elokuuta mikä niiden tunnetaan joulukuuta kerran metrin vastaan new kertaa marraskuuta saanut
        kautta kuitenkaan käyttää maan kuoli vuoteen nousi toisen jäi taas kaupungin siitä
    """),
}
