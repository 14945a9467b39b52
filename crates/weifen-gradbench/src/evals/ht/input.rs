//! Reading the hand model and the correspondences from the input JSON, with the checks that
//! keep the computation in bounds (bad input is an error naming the field, never a panic).

use serde_json::Value;

/// A 4 × 4 matrix, row-major (the input's nesting: `m[row][column]`).
pub type Mat4 = [[f64; 4]; 4];

/// The number of pose parameters: global rotation and translation, and 20 finger angles.
pub const THETA: usize = 26;
/// The bones the pose parameters address (the model may have more, left at rest).
const POSED_BONES: usize = 22;

/// The hand: a skeleton and a skinned mesh.
pub struct Model {
    /// Each bone's parent, earlier in the order; `None` for the root.
    pub parents: Vec<Option<usize>>,
    pub base_relatives: Vec<Mat4>,
    pub inverse_base_absolutes: Vec<Mat4>,
    /// Vertices at rest, homogeneous.
    pub positions: Vec<[f64; 4]>,
    /// The nonzero skinning weights, `(bone, weight)`, vertex by vertex: vertex `v`'s are
    /// `weights[weight_starts[v]..weight_starts[v + 1]]`.
    weight_starts: Vec<usize>,
    weights: Vec<(u32, f64)>,
    pub triangles: Vec<[usize; 3]>,
    pub mirrored: bool,
}

impl Model {
    /// The bones that weigh on vertex `v`, with their weights.
    pub fn weights(&self, v: usize) -> &[(u32, f64)] {
        &self.weights[self.weight_starts[v]..self.weight_starts[v + 1]]
    }
}

/// One eval input.
pub struct Instance {
    pub model: Model,
    pub theta: Vec<f64>,
    pub points: Vec<[f64; 3]>,
    /// The vertex (simple variant) or triangle (complicated) of each point.
    pub correspondences: Vec<usize>,
    /// Barycentric coordinates of each point on its triangle; empty in the simple variant.
    pub us: Vec<[f64; 2]>,
}

impl Instance {
    pub fn complicated(&self) -> bool {
        !self.us.is_empty()
    }
}

fn field<'a>(value: &'a Value, key: &str, path: &str) -> Result<&'a Value, String> {
    value
        .get(key)
        .ok_or_else(|| format!("the input has no field {path}{key}"))
}

fn array<'a>(value: &'a Value, what: &str) -> Result<&'a [Value], String> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("{what} must be an array"))
}

fn float(value: &Value, what: &str) -> Result<f64, String> {
    value
        .as_f64()
        .ok_or_else(|| format!("{what} must be a number, not {value}"))
}

fn floats(value: &Value, what: &str) -> Result<Vec<f64>, String> {
    array(value, what)?.iter().map(|v| float(v, what)).collect()
}

fn fixed<const N: usize>(value: &Value, what: &str) -> Result<[f64; N], String> {
    let v = array(value, what)?;
    if v.len() != N {
        return Err(format!("{what} must have {N} elements, not {}", v.len()));
    }
    let mut out = [0.0; N];
    for (o, x) in out.iter_mut().zip(v) {
        *o = float(x, what)?;
    }
    Ok(out)
}

fn rows<const N: usize>(value: &Value, what: &str) -> Result<Vec<[f64; N]>, String> {
    array(value, what)?
        .iter()
        .map(|row| fixed::<N>(row, what))
        .collect()
}

fn index(value: &Value, bound: usize, what: &str) -> Result<usize, String> {
    value
        .as_u64()
        .map(|i| i as usize)
        .filter(|&i| i < bound)
        .ok_or_else(|| format!("{what} must be indices below {bound}, not {value}"))
}

fn matrices(value: &Value, what: &str) -> Result<Vec<Mat4>, String> {
    array(value, what)?
        .iter()
        .map(|m| {
            let r = rows::<4>(m, what)?;
            <[[f64; 4]; 4]>::try_from(r)
                .map_err(|r| format!("{what} must be 4 × 4 matrices, not {} rows", r.len()))
        })
        .collect()
}

fn model(m: &Value) -> Result<Model, String> {
    let path = "data.model.";
    let parents = array(field(m, "parents", path)?, "data.model.parents")?;
    let bones = parents.len();
    if bones < POSED_BONES {
        return Err(format!(
            "the model must have at least {POSED_BONES} bones, not {bones}"
        ));
    }
    let parents = parents
        .iter()
        .enumerate()
        .map(|(b, p)| match p.as_i64() {
            Some(-1) => Ok(None),
            Some(p) if p >= 0 && (p as usize) < b => Ok(Some(p as usize)),
            _ => Err(format!(
                "data.model.parents[{b}] must be -1 or an earlier bone, not {p}"
            )),
        })
        .collect::<Result<_, _>>()?;
    let base_relatives = matrices(
        field(m, "base_relatives", path)?,
        "data.model.base_relatives",
    )?;
    let inverse_base_absolutes = matrices(
        field(m, "inverse_base_absolutes", path)?,
        "data.model.inverse_base_absolutes",
    )?;
    if base_relatives.len() != bones || inverse_base_absolutes.len() != bones {
        return Err(format!(
            "data.model needs one base relative and one inverse base absolute per bone ({bones})"
        ));
    }
    let positions = rows::<4>(
        field(m, "base_positions", path)?,
        "data.model.base_positions",
    )?;
    let dense = array(field(m, "weights", path)?, "data.model.weights")?;
    if dense.len() != positions.len() {
        return Err(format!(
            "data.model.weights must have one row per vertex ({})",
            positions.len()
        ));
    }
    let mut weight_starts = vec![0];
    let mut weights = Vec::new();
    for row in dense {
        let row = floats(row, "data.model.weights")?;
        if row.len() != bones {
            return Err(format!(
                "data.model.weights rows must have one weight per bone ({bones})"
            ));
        }
        weights.extend(
            row.iter()
                .enumerate()
                .filter(|(_, w)| **w != 0.0)
                .map(|(b, &w)| (b as u32, w)),
        );
        weight_starts.push(weights.len());
    }
    let triangles = array(field(m, "triangles", path)?, "data.model.triangles")?
        .iter()
        .map(|t| {
            let t = array(t, "data.model.triangles")?;
            if t.len() != 3 {
                return Err("data.model.triangles must have 3 corners each".to_string());
            }
            let mut out = [0; 3];
            for (o, v) in out.iter_mut().zip(t) {
                *o = index(v, positions.len(), "data.model.triangles")?;
            }
            Ok(out)
        })
        .collect::<Result<_, String>>()?;
    let mirrored = field(m, "is_mirrored", path)?
        .as_bool()
        .ok_or("data.model.is_mirrored must be a boolean")?;
    Ok(Model {
        parents,
        base_relatives,
        inverse_base_absolutes,
        positions,
        weight_starts,
        weights,
        triangles,
        mirrored,
    })
}

/// Reads an input of the `ht` eval.
pub fn instance(input: &Value) -> Result<Instance, String> {
    let theta = floats(field(input, "theta", "")?, "theta")?;
    if theta.len() != THETA {
        return Err(format!(
            "theta must have {THETA} elements, not {}",
            theta.len()
        ));
    }
    let data = field(input, "data", "")?;
    let model = model(field(data, "model", "data.")?)?;
    let points = rows::<3>(field(data, "points", "data.")?, "data.points")?;
    let us = rows::<2>(field(input, "us", "")?, "us")?;
    let bound = if us.is_empty() {
        model.positions.len()
    } else {
        model.triangles.len()
    };
    let correspondences = array(
        field(data, "correspondences", "data.")?,
        "data.correspondences",
    )?
    .iter()
    .map(|c| index(c, bound, "data.correspondences"))
    .collect::<Result<Vec<_>, _>>()?;
    if correspondences.len() != points.len() || !(us.is_empty() || us.len() == points.len()) {
        return Err(format!(
            "data.correspondences ({}), data.points ({}) and us ({}, or none) must have equal lengths",
            correspondences.len(),
            points.len(),
            us.len()
        ));
    }
    Ok(Instance {
        model,
        theta,
        points,
        correspondences,
        us,
    })
}
