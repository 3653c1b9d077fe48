//! The map as open data: one RFC 7946 FeatureCollection per level, with benkan's codes and
//! names, OCHA's P-codes and names, and whatever figures the caller attaches to each zone.

use geo::orient::{Direction, Orient};
use serde_json::{Map, Value, json};

use super::{Carte, Echelon, Zone};

/// The zones of `echelon` as GeoJSON, each with `proprietes(zone)` added to its own.
/// Rings follow RFC 7946's right-hand rule (exterior counter-clockwise).
pub fn collection(
    carte: &Carte,
    echelon: Echelon,
    entete: Map<String, Value>,
    proprietes: &dyn Fn(&Zone) -> Map<String, Value>,
) -> Value {
    let entites: Vec<Value> = carte
        .zones(echelon)
        .iter()
        .map(|z| {
            let mut p = Map::new();
            p.insert("code".into(), json!(z.code));
            p.insert("nom".into(), json!(z.nom));
            p.insert("niveau".into(), json!(echelon.cle()));
            p.insert(
                "pcode".into(),
                json!((!z.pcode.is_empty()).then_some(&z.pcode)),
            );
            p.insert("nom_cod".into(), json!(z.nom_cod));
            p.extend(proprietes(z));
            let forme = z.forme.orient(Direction::Default);
            let polygones: Vec<Value> = forme
                .iter()
                .map(|pg| {
                    let anneaux: Vec<Value> = std::iter::once(pg.exterior())
                        .chain(pg.interiors())
                        .map(|a| Value::Array(a.coords().map(|c| json!([c.x, c.y])).collect()))
                        .collect();
                    Value::Array(anneaux)
                })
                .collect();
            json!({
                "type": "Feature",
                "properties": p,
                "geometry": {"type": "MultiPolygon", "coordinates": polygones},
            })
        })
        .collect();
    let mut collection = Map::new();
    collection.insert("type".into(), json!("FeatureCollection"));
    collection.extend(entete);
    collection.insert("features".into(), Value::Array(entites));
    Value::Object(collection)
}
