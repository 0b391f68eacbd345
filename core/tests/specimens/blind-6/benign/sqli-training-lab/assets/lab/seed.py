import os, sqlite3
p = os.path.join(os.path.dirname(__file__), "lab.db")
c = sqlite3.connect(p)
c.executescript("""
DROP TABLE IF EXISTS products; DROP TABLE IF EXISTS users;
CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL, hidden INTEGER);
CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT, password_hash TEXT, role TEXT);
INSERT INTO products VALUES (1,'Fictional Novel','books',9.9,0),(2,'Prototype Gadget','gadgets',99,1),(3,'Cookbook','books',19.5,0);
INSERT INTO users VALUES (1,'admin','5f4dcc3b5aa765d61d8327deb882cf99','admin'),(2,'alice','e99a18c428cb38d5f260853678922e03','user');
""")
c.commit()
print("lab.db seeded with fictional data")
