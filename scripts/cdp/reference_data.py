"""Reference lists the generator draws realistic values from.

Lists are ordered roughly by frequency: the generator picks with a skew towards the head,
so common names collide the way they do in real customer bases (hard negatives for
matching come for free).
"""

# (first name, gender, nickname or None). Accented names are deliberate.
FIRST_NAMES = [
    ("James", "M", "Jim"), ("Mary", "F", None), ("Robert", "M", "Bob"), ("Patricia", "F", "Pat"),
    ("John", "M", "Johnny"), ("Jennifer", "F", "Jen"), ("Michael", "M", "Mike"),
    ("Linda", "F", None), ("David", "M", "Dave"), ("Elizabeth", "F", "Liz"),
    ("William", "M", "Bill"), ("Barbara", "F", "Barb"), ("Richard", "M", "Rick"),
    ("Susan", "F", "Sue"), ("Joseph", "M", "Joe"), ("Jessica", "F", "Jess"),
    ("Thomas", "M", "Tom"), ("Sarah", "F", None), ("Christopher", "M", "Chris"),
    ("Karen", "F", None), ("Charles", "M", "Charlie"), ("Lisa", "F", None),
    ("Daniel", "M", "Dan"), ("Nancy", "F", None), ("Matthew", "M", "Matt"),
    ("Margaret", "F", "Maggie"), ("Anthony", "M", "Tony"), ("Sandra", "F", "Sandy"),
    ("Mark", "M", None), ("Ashley", "F", None), ("Donald", "M", "Don"),
    ("Kimberly", "F", "Kim"), ("Steven", "M", "Steve"), ("Emily", "F", None),
    ("Andrew", "M", "Andy"), ("Donna", "F", None), ("Paul", "M", None),
    ("Michelle", "F", None), ("Joshua", "M", "Josh"), ("Carol", "F", None),
    ("Kenneth", "M", "Ken"), ("Amanda", "F", "Mandy"), ("Kevin", "M", None),
    ("Melissa", "F", "Mel"), ("Brian", "M", None), ("Deborah", "F", "Debbie"),
    ("George", "M", None), ("Stephanie", "F", "Steph"), ("Timothy", "M", "Tim"),
    ("Rebecca", "F", "Becky"), ("Ronald", "M", "Ron"), ("Sharon", "F", None),
    ("Edward", "M", "Ed"), ("Laura", "F", None), ("Jason", "M", None),
    ("Cynthia", "F", "Cindy"), ("Jeffrey", "M", "Jeff"), ("Katherine", "F", "Kate"),
    ("Ryan", "M", None), ("Olivia", "F", "Liv"), ("Jacob", "M", "Jake"),
    ("Amelia", "F", "Millie"), ("Gary", "M", None), ("Sophie", "F", None),
    ("Nicholas", "M", "Nick"), ("Charlotte", "F", "Lottie"), ("Eric", "M", None),
    ("Isla", "F", None), ("Jonathan", "M", "Jon"), ("Grace", "F", None),
    ("Stephen", "M", "Steve"), ("Emma", "F", None), ("Larry", "M", None),
    ("Hannah", "F", None), ("Justin", "M", None), ("Chloe", "F", None),
    ("Scott", "M", None), ("Lucy", "F", None), ("Benjamin", "M", "Ben"),
    ("Alexandra", "F", "Alex"), ("Samuel", "M", "Sam"), ("Victoria", "F", "Vicky"),
    ("Gregory", "M", "Greg"), ("Abigail", "F", "Abby"), ("Alexander", "M", "Alex"),
    ("Samantha", "F", "Sam"), ("Patrick", "M", "Pat"), ("Christine", "F", "Chris"),
    ("Frank", "M", None), ("Evelyn", "F", "Evie"), ("Raymond", "M", "Ray"),
    ("Catherine", "F", "Cathy"), ("Jack", "M", None), ("Frances", "F", "Fran"),
    ("Dennis", "M", None), ("Theresa", "F", "Tess"), ("Jerry", "M", None),
    ("Megan", "F", "Meg"), ("Tyler", "M", None), ("Natalie", "F", "Nat"),
    ("Aaron", "M", None), ("Zoë", "F", None), ("José", "M", "Pepe"), ("Renée", "F", None),
    ("François", "M", None), ("Chloé", "F", None), ("Björn", "M", None), ("Inés", "F", None),
    ("Siobhan", "F", None), ("Oliver", "M", "Ollie"), ("Harry", "M", None),
    ("Noah", "M", None), ("Ava", "F", None), ("Liam", "M", None), ("Mia", "F", None),
    ("Ethan", "M", None), ("Ella", "F", None), ("Lucas", "M", "Luke"), ("Freya", "F", None),
    ("Mohammed", "M", "Mo"), ("Aisha", "F", None), ("Priya", "F", None), ("Wei", "M", None),
    ("Yuki", "F", None), ("Diego", "M", None), ("Ana", "F", None), ("Kwame", "M", None),
]

LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Evans", "Turner", "Phillips",
    "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan",
    "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson",
    "Wood", "Watson", "Brooks", "Bennett", "Gray", "James", "Reyes", "Cruz", "Hughes", "Price",
    "Myers", "Long", "Foster", "Sanders", "Ross", "Morales", "Powell", "Sullivan", "Russell",
    "Ortiz", "Jenkins", "Gutierrez", "Perry", "Butler", "Barnes", "Fisher", "Henderson",
    "Coleman", "Simmons", "Patterson", "Jordan", "Reynolds", "Hamilton", "Graham", "Kim",
    "Wallace", "Patel", "Shah", "Khan", "Singh", "Chen", "Wang", "Li", "Zhang", "Müller",
    "Schmidt", "Öztürk", "Núñez", "Peña", "Ibáñez", "O'Brien", "O'Connor", "McDonald",
    "MacLeod", "Van der Berg", "De la Cruz", "Fitzgerald", "Hughes-Wilson", "Okafor",
    "Adeyemi", "Kowalski", "Nowak", "Novák", "Rossi", "Russo", "Ferrari", "Dubois", "Lefèvre",
    "Andersson", "Johansson", "Larsen", "Jensen", "Murray", "Fraser", "Quinn", "Byrne",
]

# (city, state or county, country, postal prefix, phone area code)
CITIES = [
    ("New York", "NY", "US", "100", "212"), ("Los Angeles", "CA", "US", "900", "213"),
    ("Chicago", "IL", "US", "606", "312"), ("Houston", "TX", "US", "770", "713"),
    ("Phoenix", "AZ", "US", "850", "602"), ("Philadelphia", "PA", "US", "191", "215"),
    ("San Antonio", "TX", "US", "782", "210"), ("San Diego", "CA", "US", "921", "619"),
    ("Dallas", "TX", "US", "752", "214"), ("Austin", "TX", "US", "787", "512"),
    ("Seattle", "WA", "US", "981", "206"), ("Denver", "CO", "US", "802", "303"),
    ("Boston", "MA", "US", "021", "617"), ("Portland", "OR", "US", "972", "503"),
    ("Atlanta", "GA", "US", "303", "404"), ("Miami", "FL", "US", "331", "305"),
    ("Minneapolis", "MN", "US", "554", "612"), ("Detroit", "MI", "US", "482", "313"),
    ("Nashville", "TN", "US", "372", "615"), ("Columbus", "OH", "US", "432", "614"),
    ("Charlotte", "NC", "US", "282", "704"), ("Newark", "NJ", "US", "071", "973"),
    ("Springfield", "IL", "US", "627", "217"), ("Madison", "WI", "US", "537", "608"),
    ("Salt Lake City", "UT", "US", "841", "801"), ("Raleigh", "NC", "US", "276", "919"),
    ("London", "Greater London", "GB", "SW", ""), ("Manchester", "Greater Manchester", "GB", "M", ""),
    ("Birmingham", "West Midlands", "GB", "B", ""), ("Leeds", "West Yorkshire", "GB", "LS", ""),
    ("Glasgow", "Glasgow City", "GB", "G", ""), ("Liverpool", "Merseyside", "GB", "L", ""),
    ("Bristol", "Bristol", "GB", "BS", ""), ("Edinburgh", "Edinburgh", "GB", "EH", ""),
    ("Sheffield", "South Yorkshire", "GB", "S", ""), ("Cardiff", "Cardiff", "GB", "CF", ""),
    ("Leicester", "Leicestershire", "GB", "LE", ""), ("Nottingham", "Nottinghamshire", "GB", "NG", ""),
    ("Newcastle upon Tyne", "Tyne and Wear", "GB", "NE", ""), ("Brighton", "East Sussex", "GB", "BN", ""),
]

STREETS = [
    "Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park",
    "Church", "High", "Station", "Victoria", "Mill", "King", "Queen", "Green", "Bridge",
    "Spring", "Sunset", "River", "Chestnut", "Walnut", "Willow", "Highland", "Forest",
    "Meadow", "Jefferson", "Lincoln", "Madison", "Franklin", "Broad", "Market", "Grove",
    "Orchard", "Albert", "George", "Manor", "North",
]
STREET_TYPES = [("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Lane", "Ln"),
                ("Drive", "Dr"), ("Court", "Ct"), ("Place", "Pl")]

# (sku prefix, product, category, price)
PRODUCTS = [
    ("TEE", "Classic Cotton T-Shirt", "apparel", 19.00), ("HOO", "Zip Hoodie", "apparel", 49.00),
    ("JNS", "Slim Fit Jeans", "apparel", 69.00), ("SNK", "Canvas Sneakers", "footwear", 59.00),
    ("BOT", "Leather Boots", "footwear", 139.00), ("SCK", "Wool Socks 3-Pack", "apparel", 15.00),
    ("JKT", "Rain Jacket", "outerwear", 119.00), ("CAP", "Baseball Cap", "accessories", 22.00),
    ("BAG", "Canvas Tote Bag", "accessories", 29.00), ("BTL", "Steel Water Bottle", "home", 25.00),
    ("MUG", "Ceramic Mug", "home", 14.00), ("CND", "Soy Candle", "home", 24.00),
    ("BLK", "Throw Blanket", "home", 79.00), ("HDP", "Wireless Headphones", "electronics", 149.00),
    ("SPK", "Bluetooth Speaker", "electronics", 89.00), ("CHG", "USB-C Charger", "electronics", 29.00),
    ("CBL", "Charging Cable", "electronics", 12.00), ("WAL", "Leather Wallet", "accessories", 45.00),
    ("SUN", "Sunglasses", "accessories", 99.00), ("YGA", "Yoga Mat", "sports", 39.00),
    ("DMB", "Dumbbell Set", "sports", 129.00), ("BKP", "Hiking Backpack", "sports", 109.00),
    ("TNT", "2-Person Tent", "sports", 249.00), ("BKS", "Notebook Set", "stationery", 18.00),
    ("PEN", "Fountain Pen", "stationery", 55.00), ("PLN", "Daily Planner", "stationery", 27.00),
    ("SKN", "Face Moisturiser", "beauty", 32.00), ("SHP", "Shampoo Bar", "beauty", 11.00),
    ("PRF", "Eau de Parfum", "beauty", 85.00), ("TEA", "Loose Leaf Tea", "grocery", 16.00),
    ("COF", "Coffee Beans 1kg", "grocery", 34.00), ("CHC", "Dark Chocolate Box", "grocery", 21.00),
]

EMAIL_DOMAINS = {
    "US": ["gmail.com"] * 7 + ["yahoo.com"] * 3 + ["hotmail.com", "outlook.com", "outlook.com",
          "icloud.com", "icloud.com", "aol.com", "comcast.net"],
    "GB": ["gmail.com"] * 6 + ["hotmail.co.uk", "hotmail.co.uk", "yahoo.co.uk", "outlook.com",
          "icloud.com", "btinternet.com", "sky.com"],
}

# Misspelt domains the generator writes; most are in seeds/email_domain_typos.csv, a few
# deliberately are not (real data always has typos nobody listed yet).
DOMAIN_TYPOS = {
    "gmail.com": ["gmial.com", "gmail.co", "gmai.com", "gnail.com", "gmail.con"],
    "yahoo.com": ["yaho.com", "yahooo.com"],
    "hotmail.com": ["hotmial.com", "hotmal.com"],
    "outlook.com": ["outlok.com", "outloook.com"],
    "icloud.com": ["iclod.com", "icloud.co"],
    "hotmail.co.uk": ["hotmail.co", "hotmial.co.uk"],
    "yahoo.co.uk": ["yahoo.co"],
}

COMPANY_WORDS = [
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Hooli", "Vandelay",
    "Soylent", "Tyrell", "Cyberdyne", "Aperture", "Oscorp", "Gringotts", "Monarch", "Pied Piper",
    "Dunder", "Prestige", "Sterling", "Blue Sun", "Nakatomi", "Massive", "Virtucon", "Gekko",
]
COMPANY_SUFFIXES = ["Inc", "LLC", "Ltd", "Group", "Corp", "Partners", "Labs", "Holdings"]
INDUSTRIES = ["retail", "manufacturing", "software", "healthcare", "finance", "education",
              "hospitality", "logistics", "media", "construction"]

TICKET_SUBJECTS = [
    "Where is my order?", "Refund request", "Wrong size delivered", "Cannot log in",
    "Change delivery address", "Loyalty points missing", "Damaged item", "Unsubscribe me",
    "Question about product", "Payment failed",
]
