// actorgraph 0.1.0: loads nodes.csv and relationships.csv into Neo4j.
// Put both files in Neo4j's import directory, then run this script, for example:
//   cypher-shell -u neo4j -p PASSWORD -f import.cypher
// Lists are joined with U+001F (the unit separator). Running it again updates the graph:
// actors are merged on their id, relations on their key.

CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (a:Actor {id: row.`id:ID`})
SET a.label = row.label,
    a.kind = row.kind,
    a.aliases = CASE WHEN coalesce(row.`aliases:string[]`, '') = '' THEN [] ELSE split(row.`aliases:string[]`, '\u001F') END,
    a.mentions = toInteger(row.`mentions:int`),
    a.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END
FOREACH (_ IN CASE WHEN row.kind = 'person' THEN [1] ELSE [] END | SET a:Person)
FOREACH (_ IN CASE WHEN row.kind = 'country' THEN [1] ELSE [] END | SET a:Country)
FOREACH (_ IN CASE WHEN row.kind = 'organization' THEN [1] ELSE [] END | SET a:Organization)
FOREACH (_ IN CASE WHEN row.kind = 'location' THEN [1] ELSE [] END | SET a:Location)
FOREACH (_ IN CASE WHEN row.kind = 'agreement' THEN [1] ELSE [] END | SET a:Agreement)
;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'MET_WITH'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:MET_WITH {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'VISITED'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:VISITED {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'AFFILIATED_WITH'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:AFFILIATED_WITH {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PART_OF'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:PART_OF {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'LOCATED_IN'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:LOCATED_IN {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'PARTY_TO'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:PARTY_TO {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'COOPERATES_WITH'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:COOPERATES_WITH {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;

LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = 'OPPOSES'
MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})
MERGE (s)-[r:OPPOSES {key: row.key}]->(t)
SET r.relation = row.relation,
    r.symmetric = (row.`symmetric:boolean` = 'true'),
    r.date = row.date,
    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,
    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,
    r.cameo = row.cameo,
    r.confidence = toFloat(row.`confidence:double`),
    r.count = toInteger(row.`count:int`),
    r.rules = CASE WHEN coalesce(row.`rules:string[]`, '') = '' THEN [] ELSE split(row.`rules:string[]`, '\u001F') END,
    r.documents = CASE WHEN coalesce(row.`documents:string[]`, '') = '' THEN [] ELSE split(row.`documents:string[]`, '\u001F') END,
    r.evidence = CASE WHEN coalesce(row.`evidence:string[]`, '') = '' THEN [] ELSE split(row.`evidence:string[]`, '\u001F') END,
    r.evidence_documents = CASE WHEN coalesce(row.`evidence_documents:string[]`, '') = '' THEN [] ELSE split(row.`evidence_documents:string[]`, '\u001F') END;
