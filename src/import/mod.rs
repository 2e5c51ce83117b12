//! `chronique import wordpress`: a WordPress column's export made posts, pages, sections and
//! authors of a chronique site (issue 24). This first piece reads the export safely ([`wxr`]).

pub mod wxr;
