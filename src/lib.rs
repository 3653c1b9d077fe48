//! benkan: the registry and observatory of decentralized cooperation in Mali.
//!
//! Layers, each depending only on those below it:
//! `cli` and `web` → `demo` → `store` → `model`.

pub mod acces;
pub mod carte;
pub mod cli;
pub mod courriel;
pub mod demo;
pub mod interop;
pub mod model;
pub mod observatoire;
pub mod referentiel;
pub mod store;
pub mod web;
