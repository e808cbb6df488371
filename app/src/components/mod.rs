pub mod chart;
pub mod error;
pub mod form;
pub mod labels;
pub mod layout;
pub mod score;
pub mod workbook;
